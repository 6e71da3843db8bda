using System.Net;
using System.Net.Sockets;

namespace DockerNetPlugin.Dns.Wire;

/// <summary>One answer record for the question's name: an A or AAAA address, or a PTR target.</summary>
internal readonly record struct DnsAnswer
{
    private DnsAnswer(ushort type, IPAddress? address, byte[]? target)
    {
        Type = type;
        Address = address;
        Target = target;
    }

    /// <summary><see cref="DnsType.A"/>, <see cref="DnsType.AAAA"/> or <see cref="DnsType.PTR"/>.</summary>
    public ushort Type { get; }

    /// <summary>The address of an A or AAAA record.</summary>
    public IPAddress? Address { get; }

    /// <summary>The uncompressed wire name a PTR record points to.</summary>
    public byte[]? Target { get; }

    /// <summary>The RDATA length.</summary>
    public int DataLength => Type == DnsType.PTR ? Target!.Length : Type == DnsType.A ? 4 : 16;

    /// <summary>An A record for an IPv4 address, an AAAA record for an IPv6 one.</summary>
    public static DnsAnswer ForAddress(IPAddress address) =>
        new(address.AddressFamily == AddressFamily.InterNetwork ? DnsType.A : DnsType.AAAA, address, null);

    /// <summary>A PTR record pointing to <paramref name="target"/> (wire form).</summary>
    public static DnsAnswer ForPointer(byte[] target) => new(DnsType.PTR, null, target);
}
