// The import rules between folders are enforced by lint; this proves the rule bites.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '..') });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(import.meta.dirname, '..', file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'kopilka/layers').map((m) => m.message);
}

describe('layers', () => {
  it('keeps the domain pure', async () => {
    expect(await problems('src/core/x.ts', "import { sql } from 'kysely';\nexport const a = sql;\n")).toHaveLength(1);
    expect(await problems('src/core/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await problems('src/core/x.ts', "import { a } from '../app/y.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('src/core/x.ts', "import { a } from './y.js';\nexport const b = a;\n")).toEqual([]);
  });

  it('lets use cases use the domain but not the database or the web framework', async () => {
    expect(await problems('src/app/x.ts', "import { a } from '../core/y.js';\nexport const b = a;\n")).toEqual([]);
    expect(await problems('src/app/x.ts', "import { a } from '../store/y.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('src/app/x.ts', "import { Hono } from 'hono';\nexport const b = Hono;\n")).toHaveLength(1);
    expect(await problems('src/http/x.ts', "import { a } from '../store/y.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('src/cli/x.ts', "import { a } from '../store/y.js';\nexport const b = a;\n")).toEqual([]);
  });

  it('lets the front ends reach the server only through the typed clients', async () => {
    expect(await problems('web/card/src/x.ts', "import { createCardClient } from '../../../src/client/card.ts';\nexport const a = createCardClient;\n")).toEqual([]);
    expect(await problems('web/card/src/x.ts', "import { cardView } from '../../../src/app/cardView.ts';\nexport const a = cardView;\n")).toHaveLength(1);
    expect(await problems('web/card/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
  });
});
