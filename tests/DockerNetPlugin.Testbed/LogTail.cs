namespace DockerNetPlugin.Testbed;

/// <summary>Reads the end of a log file for error messages.</summary>
internal static class LogTail
{
    public static string Read(string path, int lines = 30)
    {
        try
        {
            var all = File.ReadAllLines(path);
            return $"--- last {Math.Min(lines, all.Length)} lines of {path} ---\n" + string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException ex)
        {
            return $"(no log at {path}: {ex.Message})";
        }
        catch (UnauthorizedAccessException ex)
        {
            return $"(no log at {path}: {ex.Message})";
        }
    }
}
