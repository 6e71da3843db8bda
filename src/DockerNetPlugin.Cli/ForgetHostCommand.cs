using DockerNetPlugin.Contract;

namespace DockerNetPlugin.Cli;

/// <summary>
/// <c>dnp forget-host HOST</c>: removes what a host that is gone for good still holds in the store: its endpoint
/// addresses, its holds on pools, its network memberships (a logical network it was the last member of goes, with
/// its VNI). The plugin refuses this host and a host whose lease is current. Exit 0 when done, 1 when refused.
/// </summary>
internal static class ForgetHostCommand
{
    public static async Task<int> RunAsync(CliArguments args, PluginClient plugin, CancellationToken ct)
    {
        var host = args.Single("forget-host", "HOST");
        var (view, json) = await plugin.GetAsync($"{OperatorApi.Prefix}/hosts/{Uri.EscapeDataString(host)}/forget",
            OperatorJsonContext.Default.ForgetHostView, ct, post: true).ConfigureAwait(false);
        if (args.Json)
        {
            Console.WriteLine(json);
            return 0;
        }
        Console.WriteLine($"forgot host {view.HostId}:");
        Console.WriteLine($"  endpoint addresses released  {view.Addresses}");
        Console.WriteLine($"  pool holds dropped           {view.PoolHolds} ({view.PoolsRemoved} pool(s) removed with them)");
        Console.WriteLine($"  network memberships removed  {view.Memberships}");
        Console.WriteLine($"  endpoint records removed     {view.EndpointRecords}");
        Console.WriteLine($"  logical networks removed     {(view.NetworksRemoved.Count == 0 ? "none" : string.Join(", ", view.NetworksRemoved))}");
        return 0;
    }
}
