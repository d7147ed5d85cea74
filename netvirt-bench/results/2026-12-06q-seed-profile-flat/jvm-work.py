import sys, collections
c=collections.Counter(); c2=collections.Counter(); tot=0
for line in open(sys.argv[1]):
    st, n = line.rsplit(' ',1); n=int(n)
    fr = st.split(';')
    if not fr[0].startswith('[main'): continue
    if not any('TopologyBuilder.apply' in f for f in fr): continue
    if any(f.endswith('_[k]') for f in fr): continue
    # first non-java frame after last java frame
    javai=[i for i,f in enumerate(fr) if f.endswith(('_[0]','_[1]','_[2]','_[j]','_[i]'))]
    last=max(javai)
    if last==len(fr)-1: continue
    tot+=n
    c[fr[last+1]]+=n
    c2[fr[last].split('_[')[0]+' => '+fr[last+1]]+=n
print('native/jvm total', tot*0.2/60)
for k,v in c.most_common(25): print('%.3f %s'%(v*0.2/60,k))
print('---')
for k,v in c2.most_common(30): print('%.3f %s'%(v*0.2/60,k))
