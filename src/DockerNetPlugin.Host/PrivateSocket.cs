using DockerNetPlugin.Store;

namespace DockerNetPlugin.Host;

/// <summary>
/// Puts the plugin socket at its path so that it never exists there with a mode wider than 0660, not even for a
/// moment: Kestrel binds it inside a fresh 0700 folder beside the path (no one but root can reach it there,
/// whatever the umask), it is chmod-ed to 0660, then renamed into place (rename is atomic, the mode travels with
/// the inode). No process-wide umask change, so no other thread's files are affected.
/// </summary>
internal sealed class PrivateSocket : IDisposable
{
    public const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly string _staging;
    private bool _published;

    private PrivateSocket(string path, string staging)
    {
        Path = path;
        _staging = staging;
        BindPath = System.IO.Path.Combine(staging, "dnp.sock");
    }

    /// <summary>Where the socket ends up (DNP_SOCKET).</summary>
    public string Path { get; }

    /// <summary>Where Kestrel binds it: inside the private staging folder.</summary>
    public string BindPath { get; }

    /// <summary>
    /// Removes a stale socket at <paramref name="path"/> (Kestrel leaves it after a crash; the plugin owns the path)
    /// and makes the staging folder: <c>.dnp-bind-&lt;random&gt;</c> beside it, created 0700 by this call.
    /// </summary>
    public static PrivateSocket Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        if (File.Exists(full))
            File.Delete(full);
        var staging = System.IO.Path.Combine(folder, $".dnp-bind-{Guid.NewGuid():N}"[..18]);
        Directory.CreateDirectory(staging, PrivateFiles.DirectoryMode);
        return new PrivateSocket(full, staging);
    }

    /// <summary>After Kestrel has bound <see cref="BindPath"/>: chmod 0660 and rename it to <see cref="Path"/>.</summary>
    public void Publish()
    {
        File.SetUnixFileMode(BindPath, SocketMode);
        File.Move(BindPath, Path, overwrite: true);
        _published = true;
        Directory.Delete(_staging);
    }

    /// <summary>Removes the staging folder if it is still there, and the socket once the server has stopped.</summary>
    public void Dispose()
    {
        if (Directory.Exists(_staging))
            Directory.Delete(_staging, recursive: true);
        if (_published && File.Exists(Path))
            File.Delete(Path);
    }
}
