import glob, statistics, sys
# marks (us from the start of TopologyBuilder.apply's work): see README
seq=[(None,'start'),(0,'handed off'),(1,'planned'),(2,'record written'),(14,'last namespace done'),(3,'namespaces returned'),(4,'ifindexes assigned'),(11,'first batch begun'),(12,'its requests built'),(13,'its batch done'),(19,'second batch begun'),(20,'its requests built'),(22,'exchange begun'),(23,'encoded'),(24,'sent'),(25,'acks read'),(6,'second batch done'),(7,'third batch done'),(9,'devices activated'),(10,'apply done')]
files=sorted(glob.glob(sys.argv[1]+'/exp-*.txt'))
allrows=[]
for f in files:
    rows=[list(map(int,l.split())) for l in open(f)]
    if len(rows)<10: continue
    allrows.append(rows[3:])
print('step (median over each JVM\'s applies after 3 warm-ups, microseconds; one column per JVM)')
for (a,na),(b,nb) in zip(seq,seq[1:]):
    cells=[]
    for rows in allrows:
        cells.append('%5d'%statistics.median((r[b]-(r[a] if a is not None else 0)) for r in rows))
    print('%-24s -> %-24s %s'%(na,nb,' '.join(cells)))
print('%-53s %s'%('apply (start -> apply done)',' '.join('%5d'%statistics.median(r[10] for r in rows) for rows in allrows)))
