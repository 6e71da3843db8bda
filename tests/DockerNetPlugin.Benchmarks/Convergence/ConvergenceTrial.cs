using System.Globalization;
using System.Text.RegularExpressions;

namespace DockerNetPlugin.Benchmarks.Convergence;

/// <summary>
/// One trial: the new container's IP, when <c>docker run -d</c> started and returned, milliseconds from its return to the
/// first echo reply (null when none came), and the sequence number of that reply (1 = the very first request was answered).
/// </summary>
internal sealed partial record ConvergenceTrial(string Ip, DateTimeOffset Started, DateTimeOffset Returned, double? Milliseconds, int? FirstSequence)
{
    public double RunMilliseconds => (Returned - Started).TotalMilliseconds;

    /// <summary>Reads the first reply of <c>ping -D</c> output (<c>[unix seconds] 64 bytes from IP: icmp_seq=N ...</c>).</summary>
    public static ConvergenceTrial From(string ip, DateTimeOffset started, DateTimeOffset returned, string? pingOutput)
    {
        var match = pingOutput is null ? null : Reply().Match(pingOutput);
        if (match is not { Success: true })
        {
            return new ConvergenceTrial(ip, started, returned, null, null);
        }

        var reply = double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var start = (returned - DateTimeOffset.UnixEpoch).TotalSeconds;
        return new ConvergenceTrial(ip, started, returned, (reply - start) * 1000, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\[(\d+\.\d+)\] \d+ bytes from [^:]+: icmp_seq=(\d+)", RegexOptions.Multiline)]
    private static partial Regex Reply();
}
