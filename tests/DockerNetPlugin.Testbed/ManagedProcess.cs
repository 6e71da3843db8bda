using System.Diagnostics;

namespace DockerNetPlugin.Testbed;

/// <summary>A long-running child process of the test bed with its log file.</summary>
internal sealed class ManagedProcess(string name, Process process, string logPath) : IDisposable
{
    public string Name { get; } = name;

    public string LogPath { get; } = logPath;

    public int Pid { get; } = process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>SIGTERM (or SIGKILL when <paramref name="kill9"/>), then SIGKILL after <paramref name="grace"/>; waits until it is gone.</summary>
    public async Task StopAsync(bool kill9, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        Libc.Signal(Pid, kill9 ? Libc.SIGKILL : Libc.SIGTERM);
        using var wait = new CancellationTokenSource(kill9 ? TimeSpan.FromSeconds(10) : grace);
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            // Did not stop in time: kill it for real below.
        }

        Libc.Signal(Pid, Libc.SIGKILL);
        using var hard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(hard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw new TestbedException($"{Name} (pid {Pid}) survived SIGKILL for 10 s", ex);
        }
    }

    public void Dispose() => process.Dispose();
}
