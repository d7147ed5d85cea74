import sys, collections
c=collections.Counter(); tot=0; allv=0
for line in open(sys.argv[1]):
    st, n = line.rsplit(' ',1); n=int(n)
    fr = st.split(';')
    if not fr[0].startswith('[main'): continue
    if not any('TopologyBuilder.apply' in f for f in fr): continue
    allv+=n
    for i,f in enumerate(fr):
        if f.startswith('java/lang/invoke/'):
            # caller
            j=i-1
            caller=fr[j].split('_[')[0]
            kind='concat' if any('StringConcat' in g or 'StringConcatHelper' in g for g in fr[i:]) else ('newInvokeSpecial' if any('newInvokeSpecial' in g for g in fr[i:i+3]) else fr[i+1].split('_[')[0] if i+1<len(fr) else '?')
            c[caller+' :: '+kind]+=n; tot+=n
            break
print('all main under apply (incl kernel) ms/up %.3f; under java/lang/invoke %.3f'%(allv*0.2/60, tot*0.2/60))
for k,v in c.most_common(40): print('%.3f %s'%(v*0.2/60,k))
