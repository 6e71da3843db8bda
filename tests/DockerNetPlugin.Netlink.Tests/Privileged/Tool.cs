using System.Diagnostics;

namespace DockerNetPlugin.Netlink.Tests.Privileged;

/// <summary>Runs iproute2 and friends to observe the kernel's own view (never to change what is tested).</summary>
internal static class Tool
{
    /// <summary>Runs a program and returns its stdout; throws with stderr when it fails.</summary>
    internal static string Run(string program, params string[] arguments)
    {
        var (code, output, error) = TryRun(program, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {code}: {error}");
        }

        return output;
    }

    internal static (int Code, string Output, string Error) TryRun(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + program);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>`ip -n NAME ARGS...` in a namespace under /run/netns.</summary>
    internal static string Ip(TestNamespace ns, params string[] arguments) => Run("ip", ["-n", ns.Name, .. arguments]);

    /// <summary>`bridge -n NAME ARGS...`.</summary>
    internal static string Bridge(TestNamespace ns, params string[] arguments) => Run("bridge", ["-n", ns.Name, .. arguments]);
}
