using System.Net;
using System.Text;

namespace DockerNetPlugin.Store.Consul;

/// <summary>A Consul answer the caller interprets (2xx, 404, 409): status, body and the X-Consul-Index cursor.</summary>
internal sealed record ConsulResponse(HttpStatusCode Status, byte[] Body, ulong? Index)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string BodyText => Encoding.UTF8.GetString(Body);
}
