namespace DockerNetPlugin.Store;

/// <summary>
/// Files and folders only root (the plugin) may read: state and store folders are 0700, the files in them 0600,
/// whatever the process umask. Set at creation, so there is no moment with a wider mode.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) as 0700. A folder that exists already keeps its mode,
    /// except that <paramref name="tighten"/> takes group and other access away (for folders only dnp uses).
    /// </summary>
    public static void CreateDirectory(string path, bool tighten = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        Directory.CreateDirectory(path, DirectoryMode);
        if (tighten)
            Tighten(path);
    }

    /// <summary>Takes group and other access away from a file or folder dnp owns (no-op when already private).</summary>
    public static void Tighten(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOther) != 0)
            File.SetUnixFileMode(path, mode & ~GroupAndOther);
    }

    /// <summary>Opens <paramref name="path"/> for writing, creating it as 0600; an existing file is made 0600 too.</summary>
    public static FileStream Open(string path, System.IO.FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (mode is not System.IO.FileMode.Open and not System.IO.FileMode.Truncate)
            options.UnixCreateMode = FileMode;
        var stream = new FileStream(path, options);
        try
        {
            if ((File.GetUnixFileMode(stream.SafeFileHandle) & GroupAndOther) != 0)
                File.SetUnixFileMode(stream.SafeFileHandle, FileMode);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return stream;
    }

    /// <summary>Writes <paramref name="text"/> to a new 0600 file (replacing any file of that name).</summary>
    public static void WriteAllText(string path, string text)
    {
        using var stream = Open(path, System.IO.FileMode.Create, FileAccess.Write, FileShare.None);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
