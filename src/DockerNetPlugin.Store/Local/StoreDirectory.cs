using System.Runtime.InteropServices;
using DockerNetPlugin.Interop;

namespace DockerNetPlugin.Store.Local;

/// <summary>
/// The embedded store's directory: the exclusive owner lock and the files inside it
/// (<c>snapshot</c>: the full state at a revision; <c>wal</c>: framed batches after it).
/// </summary>
internal sealed class StoreDirectory : IDisposable
{
    private readonly SafeFdHandle _lockFile;

    private StoreDirectory(string path, SafeFdHandle lockFile)
    {
        Path = path;
        _lockFile = lockFile;
    }

    public string Path { get; }
    public string SnapshotPath => System.IO.Path.Combine(Path, "snapshot");
    public string SnapshotTempPath => System.IO.Path.Combine(Path, "snapshot.tmp");
    public string WalPath => System.IO.Path.Combine(Path, "wal");

    /// <summary>Creates the directory if needed and takes an exclusive flock on its <c>lock</c> file, or fails naming the holder.</summary>
    public static StoreDirectory Acquire(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            // Only dnp uses this folder: 0700, also when an older version made it 0755.
            PrivateFiles.CreateDirectory(full, tighten: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"embedded store directory '{full}' cannot be created: {e.Message}", e);
        }
        var lockPath = System.IO.Path.Combine(full, "lock");
        // Opened with libc, not FileStream: .NET takes its own flock on open, which would turn a second
        // owner into a vague "file in use" error instead of the clear one below.
        var lockFile = SafeFdHandle.FromResult(Libc.open(lockPath, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0x180 /* 0600 */))
            ?? throw new StoreException($"embedded store lock file '{lockPath}' cannot be opened (errno {Marshal.GetLastPInvokeError()})");
        if (Libc.flock(lockFile, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            lockFile.Dispose();
            var why = errno == (int)Errno.EAGAIN // EWOULDBLOCK
                ? "another process (or another store instance) already owns it; only one dnp may use an embedded store directory"
                : $"flock failed with errno {errno}";
            throw new StoreException($"embedded store directory '{full}' is locked: {why}");
        }
        return new StoreDirectory(full, lockFile);
    }

    /// <summary>Makes a rename inside the directory durable.</summary>
    public void SyncDirectory()
    {
        using var directory = SafeFdHandle.FromResult(Libc.open(Path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0))
            ?? throw new IOException($"cannot open directory '{Path}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        if (Libc.fsync(directory) != 0)
            throw new IOException($"fsync of directory '{Path}' failed (errno {Marshal.GetLastPInvokeError()})");
    }

    public void Dispose() => _lockFile.Dispose();
}
