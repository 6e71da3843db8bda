using DockerNetPlugin.Netlink.Wire;

namespace DockerNetPlugin.Netlink.Tests.Wire;

/// <summary>Builds a request with a writer and compares it with bytes captured from iproute2 (netlink.md).</summary>
internal delegate void RequestBuilder(ref NetlinkWriter writer);

internal static class Golden
{
    /// <summary>Hex as netlink.md prints it: spaces, newlines and '|' pad markers are ignored.</summary>
    internal static byte[] Hex(string dump) =>
        Convert.FromHexString(new string(dump.Where(Uri.IsHexDigit).ToArray()));

    internal static byte[] Build(RequestBuilder build)
    {
        var buffer = new byte[1024];
        var writer = new NetlinkWriter(buffer);
        build(ref writer);
        return writer.Written.ToArray();
    }

    internal static void AssertBytes(string expectedDump, RequestBuilder build) =>
        Assert.Equal(Convert.ToHexString(Hex(expectedDump)), Convert.ToHexString(Build(build)));
}
