using System.Net;

namespace DockerNetPlugin.Dns;

/// <summary>Reads the <c>nameserver</c> lines of a resolv.conf (resolv.conf(5)).</summary>
public static class ResolvConf
{
    /// <summary>Docker's embedded resolver: a resolv.conf written for a container names it, and it must never be our upstream.</summary>
    private static readonly IPAddress s_dockerEmbedded = IPAddress.Parse("127.0.0.11");

    /// <summary>
    /// The name servers of <paramref name="text"/> on port 53, in order, without duplicates and without 127.0.0.11.
    /// IPv4 and IPv6 (with a <c>%zone</c>) are accepted; lines that are not valid are skipped.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPEndPoint>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0] != "nameserver" || !IPAddress.TryParse(fields[1], out var address) || address.Equals(s_dockerEmbedded))
            {
                continue;
            }

            var endpoint = new IPEndPoint(address, 53);
            if (!servers.Contains(endpoint))
            {
                servers.Add(endpoint);
            }
        }

        return servers;
    }
}
