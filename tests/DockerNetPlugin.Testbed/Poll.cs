using System.Diagnostics;

namespace DockerNetPlugin.Testbed;

/// <summary>Waits for a condition with a deadline (readiness checks, never test assertions on time).</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TestbedException(failure());
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
