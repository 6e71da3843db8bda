using System.Net;

namespace DockerNetPlugin.Dns.Tests;

/// <summary>Name records for tests: container <c>c-NAME</c>, endpoint <c>e-NAME-NETWORK</c>.</summary>
internal static class Records
{
    public static NameRecord On(string network, string name, string? v4, string? v6 = null, string host = "h1", string[]? aliases = null, string? container = null) =>
        new(network, $"e-{name}-{network}", container ?? "c-" + name, name, aliases ?? [], v4 is null ? null : IPAddress.Parse(v4), v6 is null ? null : IPAddress.Parse(v6), host);
}
