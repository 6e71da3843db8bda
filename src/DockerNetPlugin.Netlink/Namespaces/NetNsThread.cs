using System.Runtime.ExceptionServices;
using DockerNetPlugin.Interop;

namespace DockerNetPlugin.Netlink.Namespaces;

/// <summary>
/// Runs work on a dedicated, short-lived OS thread switched into another network namespace (netlink.md §6.3).
/// Never a pool thread; the thread exits when the work ends, so a thread whose switch back failed is never reused.
/// While switched, the work must not start threads (they would inherit the namespace).
/// </summary>
internal static class NetNsThread
{
    private const string ThreadName = "dnp-netns";

    /// <summary>Runs <paramref name="action"/> with the thread inside the namespace of <paramref name="target"/>.</summary>
    internal static T RunIn<T>(SafeFdHandle target, string what, Func<T> action) =>
        Run(() => Errors.Check(Libc.setns(target, Libc.CLONE_NEWNET), "setns into " + what), action);

    /// <summary>Runs <paramref name="action"/> with the thread inside a brand-new network namespace (unshare).</summary>
    internal static void RunInNew(Action action) =>
        Run(
            () => Errors.Check(Libc.unshare(Libc.CLONE_NEWNET), "unshare(CLONE_NEWNET)"),
            () =>
            {
                action();
                return 0;
            });

    /// <summary>The /proc path of the calling thread's network namespace.</summary>
    internal static string CurrentThreadNamespacePath() => $"/proc/self/task/{Libc.gettid()}/ns/net";

    private static T Run<T>(Action enter, Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = Switched(enter, action);
            }
#pragma warning disable CA1031 // every failure is handed to the waiting caller
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = ThreadName,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static T Switched<T>(Action enter, Func<T> action)
    {
        var originalPath = CurrentThreadNamespacePath();
        using var original = Errors.Own(Libc.open(originalPath, Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open " + originalPath);
        enter();
        T result;
        try
        {
            result = action();
        }
        finally
        {
            // The thread exits after this; if the switch back fails it is abandoned, never reused.
            Errors.Check(Libc.setns(original, Libc.CLONE_NEWNET), "setns back to the original namespace (thread abandoned)");
        }

        return result;
    }
}
