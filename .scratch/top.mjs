import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2]));
const self = new Map(); const byId = new Map(p.nodes.map(n=>[n.id,n]));
const dt = p.timeDeltas; const total = dt.reduce((a,b)=>a+b,0);
const cnt = new Map();
p.samples.forEach((s,i)=>cnt.set(s,(cnt.get(s)??0)+(dt[i]??0)));
for (const [id,t] of cnt){const n=byId.get(id);const k=`${n.callFrame.functionName||'(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber+1}`;self.set(k,(self.get(k)??0)+t);}
console.log('total ms', total/1000);
[...self].sort((a,b)=>b[1]-a[1]).slice(0,25).forEach(([k,t])=>console.log((t/1000).toFixed(0).padStart(8),k));
