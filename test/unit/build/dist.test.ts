import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { dist, downloadFailure, downloadFailureMessage } from '../../../scripts/dist.mjs';

/**
 * `npm run dist` offline: electron-builder fails with a bare `getaddrinfo ENOTFOUND github.com`
 * and a stack trace. scripts/dist.mjs says what was being downloaded and how to provide it. The
 * logs below are electron-builder 26.17's own (the first one captured on this machine, offline).
 */
const ELECTRON_ZIP_OFFLINE = `  • electron-builder  version=26.17.0 os=6.18.44
  • loaded configuration  file=/work/main/electron-builder.yml
  • executing @electron/rebuild  electronVersion=45.5.0 arch=x64 buildFromSource=false workspaceRoot=/work/main projectDir=./ appDir=./
  • installing native dependencies  arch=x64
  • preparing       moduleName=keytar arch=x64
  • finished        moduleName=keytar arch=x64
  • completed installing native dependencies
  • packaging       platform=linux arch=x64 electron=45.5.0 appOutDir=release/linux-unpacked
  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError: getaddrinfo ENOTFOUND github.com
    at ClientRequest.<anonymous> (/work/main/node_modules/got/dist/source/core/index.js:970:111)
    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:123:26)
`;

const TOOLS_OFFLINE = `  • packaging       platform=linux arch=x64 electron=45.5.0 appOutDir=release/linux-unpacked
  • downloaded electron zip extracted successfully  output=release/linux-unpacked
  • building        target=AppImage arch=x64 file=release/Chronokey-0.1.0.AppImage
  ⨯ getaddrinfo EAI_AGAIN github.com  failedTask=build stackTrace=RequestError: getaddrinfo EAI_AGAIN github.com
    at ClientRequest.<anonymous> (/x/got/index.js:1:1)
`;

const home = { platform: 'linux', env: {}, home: '/home/dev' } as const;

describe('npm run dist without GitHub', () => {
  it("names Electron's zip for the platform being packaged, and how to provide it", () => {
    const failure = downloadFailure(ELECTRON_ZIP_OFFLINE);
    expect(failure).toEqual({
      error: 'getaddrinfo ENOTFOUND github.com',
      host: 'github.com',
      kind: 'electron',
      platform: 'linux',
      arch: 'x64',
      version: '45.5.0',
    });
    const message = downloadFailureMessage(failure!, home);
    expect(message.split('\n')[0]).toBe(
      "npm run dist: electron-builder could not download Electron's binary " +
        '(electron-v45.5.0-linux-x64.zip) from github.com: getaddrinfo ENOTFOUND github.com. ' +
        'Installers are built from files downloaded on first use; without network access, provide them:',
    );
    expect(message).toContain('-c.electronDist=FOLDER');
    expect(message).toContain('ELECTRON_MIRROR');
    expect(message).toContain('/home/dev/.cache/electron');
    expect(message).not.toContain('ELECTRON_BUILDER_BINARIES_MIRROR');
  });

  it("names electron-builder's tools for the target being built", () => {
    const failure = downloadFailure(TOOLS_OFFLINE)!;
    expect(failure).toMatchObject({ kind: 'tools', target: 'AppImage', host: 'github.com' });
    const message = downloadFailureMessage(failure, {
      ...home,
      env: { ELECTRON_BUILDER_CACHE: '/srv/eb-cache' },
    });
    expect(message).toContain(
      "could not download electron-builder's tools for the AppImage target",
    );
    expect(message).toContain('/srv/eb-cache');
    expect(message).toContain('ELECTRON_BUILDER_BINARIES_MIRROR');
  });

  it('leaves other failures to electron-builder’s own message', () => {
    expect(downloadFailure('  ⨯ Cannot find module "keytar"\n    at x (y:1:1)\n')).toBeNull();
  });

  it('prints one message instead of the stack trace and exits non-zero', async () => {
    const script = `process.stdout.write(${JSON.stringify(ELECTRON_ZIP_OFFLINE)}); process.exit(1);`;
    const out = new PassThrough();
    const err = new PassThrough();
    let printed = '';
    out.on('data', (chunk) => (printed += chunk));
    err.on('data', (chunk) => (printed += chunk));
    const code = await dist({
      command: [process.execPath, ['-e', script]],
      stdout: out as unknown as NodeJS.WriteStream,
      stderr: err as unknown as NodeJS.WriteStream,
      env: { ...process.env, XDG_CACHE_HOME: '/home/dev/.cache' },
    });
    expect(code).toBe(1);
    expect(printed).toContain('• packaging       platform=linux');
    expect(printed).not.toMatch(/^\s+at /m);
    expect(printed).not.toContain('stackTrace=');
    expect(printed.match(/npm run dist: /g)).toHaveLength(1);
    expect(printed).toContain(
      "could not download Electron's binary (electron-v45.5.0-linux-x64.zip)",
    );
  });

  it('shows the held-back stack when the failure is not a download', async () => {
    const log = '  ⨯ boom  failedTask=build stackTrace=Error: boom\n    at thing (a.js:1:1)\n';
    const script = `process.stderr.write(${JSON.stringify(log)}); process.exit(2);`;
    const err = new PassThrough();
    let printed = '';
    err.on('data', (chunk) => (printed += chunk));
    const code = await dist({
      command: [process.execPath, ['-e', script]],
      stdout: new PassThrough() as unknown as NodeJS.WriteStream,
      stderr: err as unknown as NodeJS.WriteStream,
    });
    expect(code).toBe(2);
    expect(printed).toContain('at thing (a.js:1:1)');
    expect(printed).not.toContain('npm run dist:');
  });
});
