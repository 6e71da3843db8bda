using System.Collections;
using System.Globalization;
using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli.Kernel;

/// <summary>
/// Where the plugin's overlay namespaces can be opened from this process: DNP_NETNS_DIR when set; else the directory
/// the plugin reports, reached through <c>/proc/PID/root</c> when the plugin lives in another mount namespace (a
/// managed plugin); else <c>/run/netns</c>.
/// </summary>
internal static class OverlayDirectory
{
    public const string Default = "/run/netns";

    /// <summary>Asks the plugin for its namespaces (null, with a warning, when it cannot be reached) and resolves the directory.</summary>
    public static async Task<(string Directory, NetnsView? Plugin)> LoadAsync(IDictionary environment, PluginClient plugin, TextWriter warnings, CancellationToken ct)
    {
        NetnsView? view = null;
        try
        {
            (view, _) = await plugin.GetAsync(OperatorApi.Prefix + "/netns", OperatorJsonContext.Default.NetnsView, ct).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await warnings.WriteLineAsync($"dnp: {e.Message}; showing the kernel's view only").ConfigureAwait(false);
        }
        return (Resolve(environment, view, plugin.PeerPid), view);
    }

    public static string Resolve(IDictionary environment, NetnsView? plugin, int? pluginPid)
    {
        if (environment["DNP_NETNS_DIR"] is string { Length: > 0 } configured)
            return configured;
        if (plugin is null)
            return Default;
        if (pluginPid is not { } pid || SameMountNamespace(pid))
            return plugin.Directory;
        return string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/root{plugin.Directory}");
    }

    private static bool SameMountNamespace(int pid)
    {
        try
        {
            var other = new FileInfo(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/mnt")).LinkTarget;
            return other is not null && other == new FileInfo("/proc/self/ns/mnt").LinkTarget;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
