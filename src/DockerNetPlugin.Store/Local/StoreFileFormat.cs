using System.Buffers.Binary;
using System.Text;

namespace DockerNetPlugin.Store.Local;

/// <summary>
/// On-disk format of the embedded store. Every record is framed as
/// <c>[int32 payload length][uint32 CRC-32 of payload][payload]</c> (little endian), so a torn or
/// corrupt tail is detected and dropped at load. The snapshot file is an 8-byte magic and one record.
/// </summary>
internal static class StoreFileFormat
{
    public const int FrameHeaderBytes = 8;
    private const int MaxRecordBytes = 256 * 1024 * 1024;
    private const byte BatchKind = 1;
    private const byte PutOp = 1;
    private const byte DeleteOp = 2;
    private static readonly byte[] s_snapshotMagic = "DNPKVS01"u8.ToArray();

    public static void WriteFrame(Stream output, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[FrameHeaderBytes];
        BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.Compute(payload));
        output.Write(header);
        output.Write(payload);
    }

    /// <summary>Reads the frame at <paramref name="offset"/>; null when it is incomplete or its CRC fails (a torn write).</summary>
    public static byte[]? TryReadFrame(ReadOnlySpan<byte> data, int offset, out int next)
    {
        next = offset;
        if (data.Length - offset < FrameHeaderBytes)
            return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(data[offset..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
        if (length < 0 || length > MaxRecordBytes || data.Length - offset - FrameHeaderBytes < length)
            return null;
        var payload = data.Slice(offset + FrameHeaderBytes, length);
        if (Crc32.Compute(payload) != crc)
            return null;
        next = offset + FrameHeaderBytes + length;
        return payload.ToArray();
    }

    public static byte[] EncodeBatch(KvBatch batch)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(BatchKind);
            w.Write(batch.Revision);
            w.Write(batch.Mutations.Count);
            foreach (var m in batch.Mutations)
            {
                w.Write(m.Value is null ? DeleteOp : PutOp);
                w.Write(m.Key);
                if (m.Value is null)
                    continue;
                w.Write(m.Value.Length);
                w.Write(m.Value);
                w.Write(m.CreateVersion);
                WriteOptional(w, m.LeaseId);
            }
        }
        return ms.ToArray();
    }

    public static KvBatch DecodeBatch(byte[] payload)
    {
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        if (r.ReadByte() != BatchKind)
            throw new InvalidDataException("unknown record kind in the write-ahead log");
        var revision = r.ReadUInt64();
        var count = r.ReadInt32();
        var mutations = new List<KvMutation>(count);
        for (var i = 0; i < count; i++)
        {
            var op = r.ReadByte();
            var key = r.ReadString();
            if (op == DeleteOp)
            {
                mutations.Add(KvMutation.Delete(key));
                continue;
            }
            var value = r.ReadBytes(r.ReadInt32());
            var create = r.ReadUInt64();
            mutations.Add(new KvMutation(key, value, create, ReadOptional(r)));
        }
        return new KvBatch(revision, mutations);
    }

    public static void WriteSnapshot(Stream output, ulong revision, IReadOnlyCollection<KvEntry> entries)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(revision);
            w.Write(entries.Count);
            foreach (var e in entries)
            {
                w.Write(e.Key);
                w.Write(e.Value.Length);
                w.Write(e.Value.Span);
                w.Write(e.Version);
                w.Write(e.CreateVersion);
                WriteOptional(w, e.LeaseId);
            }
        }
        output.Write(s_snapshotMagic);
        WriteFrame(output, ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    /// <summary>Reads a snapshot file; throws <see cref="InvalidDataException"/> if it is damaged (it is only ever replaced by rename, so damage is not a torn write).</summary>
    public static (ulong Revision, List<KvEntry> Entries) ReadSnapshot(byte[] data)
    {
        if (data.Length < s_snapshotMagic.Length || !data.AsSpan(0, s_snapshotMagic.Length).SequenceEqual(s_snapshotMagic))
            throw new InvalidDataException("the snapshot file does not start with the expected magic");
        var payload = TryReadFrame(data, s_snapshotMagic.Length, out _)
            ?? throw new InvalidDataException("the snapshot file is truncated or fails its checksum");
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var revision = r.ReadUInt64();
        var count = r.ReadInt32();
        var entries = new List<KvEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var key = r.ReadString();
            var value = r.ReadBytes(r.ReadInt32());
            var version = r.ReadUInt64();
            var create = r.ReadUInt64();
            entries.Add(new KvEntry(key, value, version, create, ReadOptional(r)));
        }
        return (revision, entries);
    }

    private static void WriteOptional(BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null)
            w.Write(s);
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
