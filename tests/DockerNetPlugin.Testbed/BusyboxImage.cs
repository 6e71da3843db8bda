using System.Formats.Tar;

namespace DockerNetPlugin.Testbed;

/// <summary>
/// Builds the root filesystem tar of the test image: the static busybox at <c>/bin/busybox</c> with a
/// symlink for every applet it has (<c>sh ip ping nc wget sleep httpd ...</c>), for <c>docker import</c>.
/// </summary>
internal static class BusyboxImage
{
    public const string BusyboxPath = "/bin/busybox";

    public static async Task BuildAsync(string tarPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(BusyboxPath))
        {
            throw new TestbedException($"{BusyboxPath} is missing: install the Debian package busybox-static (make deps-test).");
        }

        var list = await CommandRunner.RunCheckedAsync([BusyboxPath, "--list"], cancellationToken).ConfigureAwait(false);
        var applets = list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(a => a != "busybox" && !a.Contains('/', StringComparison.Ordinal))
            .ToList();
        var output = File.Create(tarPath);
        await using (output.ConfigureAwait(false))
        {
            var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false);
            await using (writer.ConfigureAwait(false))
            {
                foreach (var dir in new[] { "bin/", "etc/", "tmp/", "root/", "var/", "var/www/" })
                {
                    var entry = new PaxTarEntry(TarEntryType.Directory, dir)
                    {
                        Mode = dir == "tmp/" ? (UnixFileMode)0x3FF | UnixFileMode.StickyBit : (UnixFileMode)0x1ED,
                    };
                    await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                }

                await writer.WriteEntryAsync(BusyboxPath, "bin/busybox", cancellationToken).ConfigureAwait(false);
                foreach (var applet in applets)
                {
                    var link = new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", Mode = (UnixFileMode)0x1FF };
                    await writer.WriteEntryAsync(link, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
