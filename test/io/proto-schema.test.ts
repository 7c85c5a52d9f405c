import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { PRIMITIVES } from '../../src/graph/registry.js';
import { FIELD_CODECS } from '../../src/io/proto/field-codecs.js';
import { GRAPH_PROTO } from '../../src/io/proto/graph-schema.js';
import { graphTypes } from '../../src/io/proto/proto-root.js';
import { REPO } from '../helpers/shared.js';

describe('graph.proto', () => {
  it('the embedded schema text is identical to src/io/proto/graph.proto', () => {
    const onDisk = readFileSync(join(REPO, 'src', 'io', 'proto', 'graph.proto'), 'utf8');
    // on failure: copy graph.proto verbatim into the template string of graph-schema.ts
    expect(GRAPH_PROTO).toBe(onDisk);
  });

  it('is proto3 in package neuromesh and loads with protobufjs from the file as well', () => {
    const root = protobuf.loadSync(join(REPO, 'src', 'io', 'proto', 'graph.proto'));
    const t = root.lookupType('neuromesh.GraphFile');
    expect(t.fields.schema_version?.id ?? t.fields.schemaVersion?.id).toBe(2);
    expect(GRAPH_PROTO).toMatch(/^syntax = "proto3";$/m);
    expect(GRAPH_PROTO).toMatch(/^package neuromesh;$/m);
  });

  it('every field type of every primitive maps to a member of FieldMsg.value', () => {
    const fieldMsg = graphTypes().root.lookupType('neuromesh.FieldMsg');
    const members = fieldMsg.oneofs.value!.fieldsArray.map((f) => f.name);
    for (const spec of Object.values(PRIMITIVES))
      for (const f of spec.fields) expect(members, `${spec.kind}.${f.name}`).toContain(FIELD_CODECS[f.type].member);
  });

  it('FileHeader and GraphFile agree on magic = 1 and schema_version = 2; bulk arrays are bytes', () => {
    const { FileHeader, GraphFile, root } = graphTypes();
    for (const t of [FileHeader, GraphFile]) {
      expect(t.fields.magic!.id).toBe(1);
      expect(t.fields.magic!.type).toBe('string');
      expect(t.fields.schema_version!.id).toBe(2);
      expect(t.fields.schema_version!.type).toBe('uint32');
    }
    expect(root.lookupType('neuromesh.TensorMsg').fields.data!.type).toBe('bytes');
    expect(root.lookupType('neuromesh.IndexArrayMsg').fields.data!.type).toBe('bytes');
  });
});
