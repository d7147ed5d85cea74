import sys, collections
leaf=collections.Counter(); api=collections.Counter(); nvleaf=collections.Counter()
tot=0
for line in open(sys.argv[1]):
    st, n = line.rsplit(' ',1); n=int(n)
    fr = st.split(';')
    if not fr[0].startswith('[main'): continue
    if not any('TopologyBuilder.apply' in f for f in fr): continue
    # drop kernel frames
    fr2=[f for f in fr if not f.endswith('_[k]')]
    if len(fr2)<len(fr): continue  # kernel sample: skip
    tot+=n
    leaf[fr2[-1]]+=n
    # deepest netvirt frame index
    idx=max(i for i,f in enumerate(fr2) if f.startswith('io/github/netvirt/') )
    callee = fr2[idx+1] if idx+1 < len(fr2) else '(self)'
    api[fr2[idx].split('_[')[0]+' -> '+callee.split('_[')[0]]+=n
ups=int(sys.argv[2])
print('total ms/up', tot*0.2/ups)
print('--- leaf'); [print('%.3f %s'%(c*0.2/ups,k)) for k,c in leaf.most_common(40)]
print('--- netvirt->callee'); [print('%.3f %s'%(c*0.2/ups,k)) for k,c in api.most_common(50)]
