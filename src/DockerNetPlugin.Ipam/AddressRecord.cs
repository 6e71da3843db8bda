namespace DockerNetPlugin.Ipam;

/// <summary>The stored form of one taken address: kind (gateway/aux/endpoint), owner host, request options.</summary>
internal sealed record AddressRecord(string Kind, string Host, Dictionary<string, string> Options);
