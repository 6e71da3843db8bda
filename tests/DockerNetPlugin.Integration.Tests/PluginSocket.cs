using System.Net.Sockets;
using System.Text;

namespace DockerNetPlugin.Integration.Tests;

/// <summary>Calls the plugin's socket the way dockerd does: POST, no Content-Type, Host plugin.moby.localhost.</summary>
internal static class PluginSocket
{
    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> (e.g. <c>/NetworkDriver.Leave</c>); asserts 200 and returns the reply.</summary>
    public static async Task<string> PostAsync(string socketPath, string path, string body)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://plugin.moby.localhost") };
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)); // Docker sends no Content-Type
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
