using System.Diagnostics;
using System.Text;

namespace DockerNetPlugin.Testbed;

/// <summary>Runs external commands (ip, nsenter, docker) with a timeout and captured output.</summary>
internal static class CommandRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="argv"/> to completion; kills it after <paramref name="timeout"/> (exit code -1).</summary>
    public static async Task<CommandResult> RunAsync(
        IReadOnlyList<string> argv,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null,
        string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = CreateStartInfo(argv, environment);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.StandardOutputEncoding = Encoding.UTF8;
        psi.StandardErrorEncoding = Encoding.UTF8;
        var commandLine = string.Join(' ', argv);
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new TestbedException($"cannot start `{commandLine}`: {ex.Message}", ex);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            return new CommandResult(commandLine, -1, await stdout.ConfigureAwait(false), (await stderr.ConfigureAwait(false)) + $"\n(killed after {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s)");
        }

        return new CommandResult(commandLine, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs and throws <see cref="TestbedException"/> unless it exits 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(IReadOnlyList<string> argv, CancellationToken cancellationToken, TimeSpan? timeout = null, string? stdin = null)
    {
        var result = await RunAsync(argv, cancellationToken, timeout, stdin).ConfigureAwait(false);
        return result.EnsureSuccess();
    }

    /// <summary>
    /// Starts a long-running process whose stdout and stderr go straight to <paramref name="logPath"/>
    /// (through <c>sh -c 'exec "$@" &gt;&gt;log 2&gt;&amp;1'</c>, so the log keeps filling even if this process dies).
    /// The returned process's ID is the command's own (nsenter and sh exec into it).
    /// </summary>
    public static Process StartLogged(IReadOnlyList<string> prefixArgv, IReadOnlyList<string> argv, string logPath, IReadOnlyDictionary<string, string>? environment)
    {
        var full = new List<string>(prefixArgv) { "/bin/sh", "-c", "exec \"$@\" >>\"$DNPT_LOG\" 2>&1 </dev/null", "sh" };
        full.AddRange(argv);
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal) { ["DNPT_LOG"] = logPath };
        var psi = CreateStartInfo(full, env);
        File.AppendAllText(logPath, $"=== {DateTimeOffset.UtcNow:O} starting: {string.Join(' ', argv)}\n");
        try
        {
            return Process.Start(psi) ?? throw new TestbedException($"cannot start `{string.Join(' ', argv)}`");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new TestbedException($"cannot start `{string.Join(' ', argv)}`: {ex.Message}", ex);
        }
    }

    public static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static ProcessStartInfo CreateStartInfo(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string>? environment)
    {
        if (argv.Count == 0)
        {
            throw new ArgumentException("empty command line", nameof(argv));
        }

        var psi = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var arg in argv.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        // Never let an inherited DOCKER_HOST point a test at the machine's real daemon.
        psi.Environment.Remove("DOCKER_HOST");
        psi.Environment.Remove("DNP_DOCKER_HOST");
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                psi.Environment[key] = value;
            }
        }

        return psi;
    }
}
