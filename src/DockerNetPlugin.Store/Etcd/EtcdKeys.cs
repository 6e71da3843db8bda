using System.Globalization;
using System.Text;

namespace DockerNetPlugin.Store.Etcd;

/// <summary>Key bytes, prefix ranges and entry mapping for the gateway (kv.md §2.3).</summary>
internal static class EtcdKeys
{
    public static byte[] Bytes(string key) => Encoding.UTF8.GetBytes(key);

    /// <summary>The range_end covering every key that starts with <paramref name="prefix"/>.</summary>
    public static byte[] PrefixEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < 0xFF)
            {
                var end = prefix[..(i + 1)];
                end[i]++;
                return end;
            }
        }
        return [0];
    }

    public static KvEntry ToEntry(EtcdKeyValue kv) =>
        new(Encoding.UTF8.GetString(kv.Key), kv.Value ?? [], (ulong)kv.ModRevision, (ulong)kv.CreateRevision, LeaseId(kv.Lease));

    public static string? LeaseId(long lease) => lease == 0 ? null : lease.ToString(CultureInfo.InvariantCulture);
}
