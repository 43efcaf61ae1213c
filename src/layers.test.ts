// The one-way dependency rules of DESIGN.md are lint errors; this proves the rules
// fire, so that a silently broken lint config cannot let the layers tangle.
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: resolve(__dirname, '..') });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(__dirname, '..', filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer boundaries (lint)', () => {
  it('a renderer file importing from src/main fails lint', async () => {
    const messages = await restrictedImports('src/renderer/features/x.ts', "import { startCore } from '../../main/core/core';\nexport const x = startCore;\n");
    expect(messages.join('\n')).toMatch(/renderer talks to the core only through/);
  });

  it('the renderer may not import Node or electron', async () => {
    expect(await restrictedImports('src/renderer/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImports('src/renderer/x.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n")).toHaveLength(1);
    expect(await restrictedImports('src/renderer/x.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
  });

  it('the core never imports electron; the shell may', async () => {
    expect(await restrictedImports('src/main/store/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await restrictedImports('src/main/shell/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(0);
  });

  it('src/shared imports neither Node, React, the other layers nor electron', async () => {
    expect(await restrictedImports('src/shared/x.ts', "import { join } from 'node:path';\nexport const x = join;\n")).toHaveLength(1);
    expect(await restrictedImports('src/shared/x.ts', "import { useState } from 'react';\nexport const x = useState;\n")).toHaveLength(1);
    expect(await restrictedImports('src/shared/x.ts', "import { startCore } from '../main/core/core';\nexport const x = startCore;\n")).toHaveLength(1);
  });

  it('shared modules whose names look like Node builtins are allowed', async () => {
    expect(await restrictedImports('src/renderer/x.ts', "import type { EventName } from '@shared/api/events';\nexport type X = EventName;\n")).toHaveLength(0);
  });
});
