namespace DockerNetPlugin.Engine;

/// <summary>What <c>GET /_ping</c> told us.</summary>
/// <param name="ServerApiVersion">The daemon's maximum API version (<c>Api-Version</c> header).</param>
/// <param name="NegotiatedApiVersion">The version this client uses in paths: min(ours, the daemon's).</param>
/// <param name="OsType">The <c>Ostype</c> header, e.g. <c>linux</c>.</param>
public sealed record EnginePing(string ServerApiVersion, string NegotiatedApiVersion, string? OsType);
