using System.Globalization;
using System.Text.RegularExpressions;

namespace DockerNetPlugin.Testbed;

public sealed partial class Testbed
{
    private static readonly TimeSpan s_ownerlessGrace = TimeSpan.FromMinutes(2);
    private static int s_staleCleaned;

    /// <summary>
    /// Removes what earlier runs left behind (processes, cgroups, namespaces, mounts, run directories with the
    /// <c>dnpt</c> prefix) when their owner process is gone. Runs of live processes are untouched.
    /// Called automatically by the first <see cref="StartAsync"/> of a process. Returns the prefixes removed.
    /// </summary>
    public static IReadOnlyList<string> CleanupStale() => CleanupStaleAsync().GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="CleanupStale"/>.</summary>
    public static async Task<IReadOnlyList<string>> CleanupStaleAsync()
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        var stale = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(RunsRoot))
        {
            foreach (var dir in Directory.GetDirectories(RunsRoot, PrefixStem + "*"))
            {
                var prefix = Path.GetFileName(dir);
                var ownerKnown = File.Exists(Path.Combine(dir, "owner"));
                if (RunOwner.IsAlive(dir) || (!ownerKnown && DateTime.UtcNow - Directory.GetCreationTimeUtc(dir) < s_ownerlessGrace))
                {
                    live.Add(prefix);
                }
                else
                {
                    stale.Add(prefix);
                }
            }
        }

        // Namespaces and cgroups of our exact shape whose run directory is gone are orphans too
        // (other suites' throwaway "dnpt…" names do not have the "-role" shape and are left alone).
        foreach (var name in NetnsNames().Concat(CgroupDirs().Select(Path.GetFileName).OfType<string>()))
        {
            var match = OwnedName().Match(name);
            if (match.Success && !live.Contains(match.Groups[1].Value))
            {
                stale.Add(match.Groups[1].Value);
            }
        }

        foreach (var prefix in stale)
        {
            await RemoveRunAsync(prefix).ConfigureAwait(false);
        }

        return [.. stale.Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex("^(dnpt[0-9a-z]{1,6})-(fab|h[0-9]{1,2}|etcd[0-9]?|consul|inet)$")]
    private static partial Regex OwnedName();

    private static async Task EnsureStaleCleanedOnceAsync()
    {
        if (Interlocked.Exchange(ref s_staleCleaned, 1) == 0)
        {
            await CleanupStaleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills, unmounts and deletes everything named with <paramref name="prefix"/>.</summary>
    private static async Task RemoveRunAsync(string prefix)
    {
        var cgroups = CgroupDirs().Where(d => IsOwnedBy(Path.GetFileName(d), prefix)).ToList();
        var namespaces = NetnsNames().Where(n => IsOwnedBy(n, prefix)).ToList();

        // Containers live in their own namespaces but in our cgroups; daemons and shims live in our namespaces.
        for (var round = 0; round < 50; round++)
        {
            var pids = new HashSet<int>(cgroups.SelectMany(CgroupProcs));
            foreach (var ns in namespaces)
            {
                var result = await CommandRunner.RunAsync(["ip", "netns", "pids", ns], CancellationToken.None).ConfigureAwait(false);
                foreach (var token in result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
                    {
                        pids.Add(pid);
                    }
                }
            }

            pids.RemoveWhere(p => !Libc.IsAlive(p));
            if (pids.Count == 0)
            {
                break;
            }

            foreach (var pid in pids)
            {
                Libc.Signal(pid, Libc.SIGKILL);
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        foreach (var dir in cgroups)
        {
            await RemoveCgroupTreeAsync(dir).ConfigureAwait(false);
        }

        foreach (var ns in namespaces)
        {
            await CommandRunner.RunAsync(["ip", "netns", "del", ns], CancellationToken.None).ConfigureAwait(false);
        }

        var runDir = Path.Combine(RunsRoot, prefix);
        foreach (var mountPoint in MountPointsUnder(runDir).OrderByDescending(m => m.Length))
        {
            await CommandRunner.RunAsync(["umount", "-l", mountPoint], CancellationToken.None).ConfigureAwait(false);
        }

        if (Directory.Exists(runDir))
        {
            try
            {
                Directory.Delete(runDir, recursive: true);
            }
            catch (IOException)
            {
                // A file was still being written by a dying process: once more.
                await Task.Delay(200).ConfigureAwait(false);
                Directory.Delete(runDir, recursive: true);
            }
        }

        if (Directory.Exists(RunsRoot) && Directory.GetFileSystemEntries(RunsRoot).Length == 0)
        {
            try
            {
                Directory.Delete(RunsRoot);
            }
            catch (IOException)
            {
                // Another run created its directory meanwhile.
            }
        }
    }

    private static bool IsOwnedBy(string name, string prefix) => OwnedName().Match(name) is { Success: true } m && m.Groups[1].Value == prefix;

    private static async Task RemoveCgroupTreeAsync(string dir)
    {
        for (var attempt = 0; attempt < 50 && Directory.Exists(dir); attempt++)
        {
            try
            {
                foreach (var child in Directory.GetDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
                {
                    Directory.Delete(child);
                }

                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Busy until the killed tasks are reaped.
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<int> CgroupProcs(string dir)
    {
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        foreach (var procs in Directory.EnumerateFiles(dir, "cgroup.procs", SearchOption.AllDirectories))
        {
            string text;
            try
            {
                text = File.ReadAllText(procs);
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
                {
                    yield return pid;
                }
            }
        }
    }

    private static IEnumerable<string> NetnsNames() =>
        Directory.Exists("/run/netns")
            ? Directory.GetFiles("/run/netns", PrefixStem + "*").Select(Path.GetFileName).OfType<string>()
            : [];

    private static IEnumerable<string> CgroupDirs()
    {
        const string Root = "/sys/fs/cgroup";
        if (!Directory.Exists(Root))
        {
            return [];
        }

        // cgroup v1: one tree per controller; v2: the root itself.
        return Directory.GetDirectories(Root).Append(Root)
            .SelectMany(tree =>
            {
                try
                {
                    return Directory.GetDirectories(tree, PrefixStem + "*");
                }
                catch (IOException)
                {
                    return [];
                }
            });
    }

    private static IEnumerable<string> MountPointsUnder(string dir)
    {
        // Field 5 of /proc/self/mountinfo is the mount point (octal escapes for spaces; our paths have none).
        return File.ReadLines("/proc/self/mountinfo")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 4 && (f[4] == dir || f[4].StartsWith(dir + "/", StringComparison.Ordinal)))
            .Select(f => f[4])
            .ToList();
    }
}
