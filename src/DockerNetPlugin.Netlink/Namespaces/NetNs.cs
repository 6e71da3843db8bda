using System.Buffers.Binary;
using System.Runtime.InteropServices;
using DockerNetPlugin.Interop;
using DockerNetPlugin.Netlink.Namespaces;

namespace DockerNetPlugin.Netlink;

/// <summary>
/// An open network namespace (an fd on its nsfs file). Named namespaces are files bind-mounted like
/// `ip netns add` does; work inside one runs on a dedicated OS thread (<see cref="Run{T}"/>), never the caller's.
/// </summary>
public sealed class NetNs : IDisposable
{
    private const string ProcessNamespacePath = "/proc/self/ns/net";
    private readonly SafeFdHandle _fd;

    private NetNs(SafeFdHandle fd, string path)
    {
        _fd = fd;
        Path = path;
        Inode = InodeOf(fd, path);
    }

    /// <summary>The file this namespace was opened from.</summary>
    public string Path { get; }

    /// <summary>st_ino of the namespace: two handles with the same inode are the same namespace.</summary>
    public ulong Inode { get; }

    internal SafeFdHandle Handle => _fd;

    /// <summary>
    /// Creates a new namespace bound at <paramref name="path"/> (`ip netns add`): the directory becomes a shared
    /// mount, an empty file is created (fails with EEXIST if it exists) and the new namespace is bind-mounted on it.
    /// </summary>
    public static NetNs Create(string path)
    {
        var full = CheckPath(path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        using var directoryLock = Errors.Own(
            Libc.open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0), "open " + directory);
        Errors.Check(Libc.flock(directoryLock, Libc.LOCK_EX), "flock " + directory);
        MakeSharedMount(directory);

        using (Errors.Own(Libc.open(full, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0), "create namespace file " + full))
        {
        }

        try
        {
            NetNsThread.RunInNew(() =>
            {
                var source = NetNsThread.CurrentThreadNamespacePath();
                Errors.Check(Libc.mount(source, full, "none", Libc.MS_BIND, 0), $"mount --bind {source} {full}");
            });
            return Open(full);
        }
        catch
        {
            Delete(full);
            throw;
        }
    }

    /// <summary>Opens the namespace at <paramref name="path"/> if one is mounted there, else creates it (a stale plain file is replaced).</summary>
    public static NetNs CreateOrOpen(string path)
    {
        var full = CheckPath(path);
        if (Exists(full))
        {
            return Open(full);
        }

        if (File.Exists(full))
        {
            File.Delete(full);
        }

        return Create(full);
    }

    /// <summary>Opens an existing namespace file (a mount like /run/netns/x, or /proc/PID/ns/net).</summary>
    public static NetNs Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fd = Errors.Own(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0), "open namespace " + path);
        try
        {
            if (!IsNamespaceFile(fd))
            {
                throw new NetlinkException("open namespace " + path + " (not an nsfs file: no namespace is mounted there)", (int)Interop.Errno.EINVAL, null);
            }

            return new NetNs(fd, path);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>The namespace of the process (its main thread), which the driver never moves.</summary>
    public static NetNs OpenCurrentProcess() => Open(ProcessNamespacePath);

    /// <summary>True when <paramref name="path"/> exists and a namespace is mounted on it.</summary>
    public static unsafe bool Exists(string path)
    {
        var buffer = stackalloc byte[Libc.StatfsBufferSize];
        return Libc.statfs(path, buffer) == 0 && *(long*)buffer == Libc.NSFS_MAGIC;
    }

    /// <summary>Detaches the mount and removes the file (`ip netns del`); a missing namespace is not an error.</summary>
    public static void Delete(string path)
    {
        var full = CheckPath(path);
        if (Libc.umount2(full, Libc.MNT_DETACH) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is not (int)Interop.Errno.EINVAL and not (int)Interop.Errno.ENOENT)
            {
                throw new NetlinkException("umount " + full, errno, null);
            }
        }

        try
        {
            File.Delete(full);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>The inode of the calling thread's network namespace (tests check it never changes).</summary>
    public static unsafe ulong CurrentThreadNetNsInode()
    {
        var path = NetNsThread.CurrentThreadNamespacePath();
        var buffer = stackalloc byte[Libc.StatBufferSize];
        Errors.Check(Libc.stat(path, buffer), "stat " + path);
        return *(ulong*)(buffer + Libc.StatInodeOffset);
    }

    /// <summary>
    /// Runs <paramref name="action"/> in the process's namespace: inline when the calling thread is already there
    /// (the normal case), else on a dedicated thread switched into it.
    /// </summary>
    internal static T RunInProcessNamespace<T>(Func<T> action)
    {
        using var process = OpenCurrentProcess();
        return process.Inode == CurrentThreadNetNsInode() ? action() : process.Run(action);
    }

    /// <summary>Runs <paramref name="action"/> on a dedicated OS thread switched into this namespace.</summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return NetNsThread.RunIn(_fd, Path, action);
    }

    /// <inheritdoc cref="Run{T}"/>
    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(() =>
        {
            action();
            return 0;
        });
    }

    /// <summary>Writes a sysctl inside this namespace, e.g. ("net/ipv4/conf/all/arp_ignore", "1"); dotted names without '/' are accepted.</summary>
    public void WriteSysctl(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var relative = name.Contains('/', StringComparison.Ordinal) ? name : name.Replace('.', '/');
        if (relative.StartsWith('/') || relative.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"sysctl name '{name}' must be a relative path below /proc/sys", nameof(name));
        }

        var file = "/proc/sys/" + relative;
        Run(() => File.WriteAllText(file, value.EndsWith('\n') ? value : value + "\n"));
    }

    public void Dispose() => _fd.Dispose();

    public override string ToString() => $"netns {Path} (inode {Inode})";

    private static string CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!System.IO.Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"namespace path '{path}' must be absolute", nameof(path));
        }

        return System.IO.Path.GetFullPath(path);
    }

    /// <summary>Makes <paramref name="directory"/> a shared mount point, bind-mounting it on itself first if needed (iproute2).</summary>
    private static void MakeSharedMount(string directory)
    {
        var bound = false;
        while (Libc.mount(string.Empty, directory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != (int)Interop.Errno.EINVAL || bound)
            {
                throw new NetlinkException("mount --make-rshared " + directory, errno, null);
            }

            Errors.Check(Libc.mount(directory, directory, "none", Libc.MS_BIND | Libc.MS_REC, 0), $"mount --rbind {directory} {directory}");
            bound = true;
        }
    }

    private static unsafe bool IsNamespaceFile(SafeFdHandle fd)
    {
        var buffer = stackalloc byte[Libc.StatfsBufferSize];
        return Libc.fstatfs(fd, buffer) == 0 && *(long*)buffer == Libc.NSFS_MAGIC;
    }

    private static unsafe ulong InodeOf(SafeFdHandle fd, string path)
    {
        var buffer = stackalloc byte[Libc.StatBufferSize];
        Errors.Check(Libc.fstat(fd, buffer), "fstat " + path);
        return BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(buffer + Libc.StatInodeOffset, sizeof(ulong)));
    }
}
