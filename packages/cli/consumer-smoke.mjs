// Called by tools/consumer-check.mjs with the BUILT package loaded through `import` and
// `require`: runs a real command so that a broken CJS interop (commander, picocolors,
// cli-table3, the filter parser) fails the gate, not a user.
export default async (mod, kind) => {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: {
      write(chunk) {
        stdout += chunk;
        return true;
      },
    },
    stderr: {
      write(chunk) {
        stderr += chunk;
        return true;
      },
    },
    env: { NO_COLOR: '1' },
  };
  const code = await mod.runCli(['filter', 'check', 'userName EQ "bjensen"'], { io });
  if (code !== mod.ExitCode.ok || stdout !== 'userName eq "bjensen"\n') {
    throw new Error(`${kind}: filter check gave ${code}: ${stdout}${stderr}`);
  }
  const usage = await mod.runCli(['users', 'list'], { io });
  if (usage !== mod.ExitCode.usage) throw new Error(`${kind}: users list without --url gave ${usage}`);
};
