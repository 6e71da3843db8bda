using System.Net.Sockets;
using System.Text.Json;
using DockerNetPlugin.Driver;
using DockerNetPlugin.Host;

namespace DockerNetPlugin.Cli;

/// <summary><c>dnp status</c>: asks the running plugin over its socket and prints a table (or the JSON).</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(bool json, string socket)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct).ConfigureAwait(false);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://dnp"), Timeout = TimeSpan.FromSeconds(10) };
        string body;
        try
        {
            using var response = await http.GetAsync(new Uri("/dnp/v1/status", UriKind.Relative)).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"dnp status: plugin answered {(int)response.StatusCode}: {body}").ConfigureAwait(false);
                return 1;
            }
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"dnp status: cannot reach the plugin at {socket}: {e.Message} (is `dnp serve` running? set DNP_SOCKET)").ConfigureAwait(false);
            return 1;
        }
        if (json)
        {
            Console.WriteLine(body);
            return 0;
        }
        var status = JsonSerializer.Deserialize(body, HostJsonContext.Default.DriverStatus)!;
        Console.WriteLine($"host      {status.HostId}");
        Console.WriteLine($"locator   {status.Locator} ({status.UnderlayInterface}, overlay MTU {status.OverlayMtu})");
        Console.WriteLine();
        Console.WriteLine($"{"NETWORK",-14} {"LOGICAL",-14} {"VNI",-8} {"NAMESPACE",-18} {"SUBNETS",-22} {"LOCAL",5} {"PEERS",5}");
        foreach (var n in status.Networks)
        {
            Console.WriteLine($"{Short(n.DockerNetworkId),-14} {Short(n.LogicalId),-14} {n.Vni,-8} {(n.SandboxPresent ? n.Sandbox : "-"),-18} {string.Join(",", n.Subnets),-22} {n.LocalEndpoints,5} {n.RemotePeers,5}");
        }
        return 0;
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
