using DockerNetPlugin.Netlink;

namespace DockerNetPlugin.Driver.Sandbox;

/// <summary>Removes a leftover overlay namespace that no runtime holds open (after a crash or a lost state dir).</summary>
internal static class OverlaySandboxCleanup
{
    public static void DeleteIfPresent(string path)
    {
        if (!File.Exists(path))
            return;
        try
        {
            NetNs.Delete(path);
        }
        catch (Exception e) when (e is NetlinkException or IOException or UnauthorizedAccessException)
        {
            // reconciliation retries later
        }
    }
}
