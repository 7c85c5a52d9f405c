import h5wasm from "h5wasm/node";
await h5wasm.ready;
function dump(g, ind="") { for (const k of g.keys()) { const c = g.get(k); if (c instanceof h5wasm.Group) { console.log(ind+k+"/"); dump(c, ind+"  "); } else { const v = c.value; console.log(ind+k, c.dtype, JSON.stringify(c.shape), c.filters ? JSON.stringify(c.filters):"", (v && v.length>6)? "len"+v.length : v); } } }
for (const p of process.argv.slice(2)) { console.log("==",p); const f = new h5wasm.File(p, "r"); dump(f); f.close(); }
