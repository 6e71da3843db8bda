using System.Globalization;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// Marks which process owns a run directory (<c>owner</c> file: "pid starttime"), so that
/// <see cref="Testbed.CleanupStale"/> removes only runs whose owner is gone.
/// </summary>
internal static class RunOwner
{
    private const string FileName = "owner";

    public static void Write(string runDirectory)
    {
        var pid = Environment.ProcessId;
        File.WriteAllText(Path.Combine(runDirectory, FileName), string.Create(CultureInfo.InvariantCulture, $"{pid} {Libc.StartTime(pid)}"));
    }

    /// <summary>True when the run directory's owner process still runs (a missing or unreadable file counts as gone).</summary>
    public static bool IsAlive(string runDirectory)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(runDirectory, FileName)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var pid = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var start = parts.Length > 1 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : (long?)null;
            return Libc.IsAlive(pid) && (start is null || Libc.StartTime(pid) == start);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
