using System.Diagnostics;

namespace DockerNetPlugin.Benchmarks.Beds;

/// <summary>
/// A command started ahead of time and held at the starting line (<c>sh: echo armed; read go; exec PROGRAM</c>): process start-up
/// (nsenter, the shell) happens before the measurement, and <see cref="Go"/> costs one pipe write and one exec.
/// </summary>
internal sealed class ArmedCommand : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _rest;

    private ArmedCommand(Process process, Task<string> rest)
    {
        _process = process;
        _rest = rest;
    }

    /// <summary>Starts <c>prefix... sh -c '...' argv...</c> and returns once the shell is waiting for the go.</summary>
    public static async Task<ArmedCommand> StartAsync(IReadOnlyList<string> prefix, IReadOnlyList<string> argv, CancellationToken ct)
    {
        var start = new ProcessStartInfo(prefix[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in prefix.Skip(1).Concat(["/bin/sh", "-c", "echo armed; read go; exec \"$@\" 2>&1", "sh"]).Concat(argv))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + string.Join(' ', argv));
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        var first = await process.StandardOutput.ReadLineAsync(limit.Token);
        if (first != "armed")
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"`{string.Join(' ', argv)}` did not get ready: {first}");
        }

        return new ArmedCommand(process, process.StandardOutput.ReadToEndAsync(CancellationToken.None));
    }

    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    /// <summary>The program's output (stdout and stderr) once it exited; null when it had to be killed after <paramref name="timeout"/>.</summary>
    public async Task<string?> OutputAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
            return await _rest;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
