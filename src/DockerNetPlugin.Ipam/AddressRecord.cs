namespace DockerNetPlugin.Ipam;

/// <summary>
/// The stored form of one taken address: kind (gateway/aux/endpoint), owner host, request options, and when the
/// owner allocated it (by the owner's clock; absent in records written before it was kept).
/// </summary>
internal sealed record AddressRecord(string Kind, string Host, Dictionary<string, string> Options, DateTimeOffset? At = null);
