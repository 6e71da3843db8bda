using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DockerNetPlugin.Emulators.Consul;

/// <summary>/v1/txn: all-or-nothing KV operations sharing one index; 409 with Errors on a failed op (kv.md §1.8).</summary>
public sealed partial class ConsulEmulator
{
    private static readonly HashSet<string> s_writeVerbs =
        ["set", "cas", "lock", "unlock", "delete", "delete-cas", "delete-tree"];

    private async Task HandleTxnAsync(HttpContext ctx, CancellationToken ct)
    {
        if (ctx.Request.Method != "PUT")
        {
            await WriteTextAsync(ctx, HttpStatusCode.MethodNotAllowed, "method not allowed");
            return;
        }
        var body = await ReadBodyAsync(ctx, ct);
        List<TxnOpSpec> ops;
        try
        {
            ops = ParseTxn(body);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, "Failed to parse body: " + e.Message);
            return;
        }
        if (ops.Count > MaxTxnOps)
        {
            await WriteTextAsync(ctx, HttpStatusCode.RequestEntityTooLarge, $"Transaction contains too many operations ({ops.Count} > {MaxTxnOps})");
            return;
        }
        if (ops.FirstOrDefault(o => o.Value is { Length: > MaxValueBytes }) is { } big)
        {
            await WriteTextAsync(ctx, HttpStatusCode.RequestEntityTooLarge, $"Value for key \"{big.Key}\" is too large");
            return;
        }
        if (ops.FirstOrDefault(o => !s_writeVerbs.Contains(o.Verb) && o.Verb is not ("get" or "check-index" or "check-session" or "check-not-exists")) is { } unknown)
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, $"Invalid KV verb \"{unknown.Verb}\"");
            return;
        }
        var (ok, results, error) = Execute(ops);
        await WriteJsonAsync(ctx, ok ? HttpStatusCode.OK : HttpStatusCode.Conflict, w =>
        {
            w.WriteStartObject();
            if (ok)
            {
                w.WriteStartArray("Results");
                foreach (var (entry, withValue) in results)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("KV");
                    WriteEntry(w, entry, withValue);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteNull("Errors");
            }
            else
            {
                w.WriteNull("Results");
                w.WriteStartArray("Errors");
                w.WriteStartObject();
                w.WriteNumber("OpIndex", error!.Value.OpIndex);
                w.WriteString("What", error.Value.What);
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }, CurrentIndex);
    }

    private static List<TxnOpSpec> ParseTxn(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var ops = new List<TxnOpSpec>();
        foreach (var element in doc.RootElement.EnumerateArray())
        {
            var kv = element.GetProperty("KV");
            string? Str(string name) => kv.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            ulong Num(string name) => kv.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetUInt64() : 0;
            var value = Str("Value") is { } b64 ? Convert.FromBase64String(b64) : null;
            ops.Add(new TxnOpSpec(
                Str("Verb") ?? throw new FormatException("op without Verb"),
                Str("Key") ?? throw new FormatException("op without Key"),
                value, Num("Flags"), Num("Index"), Str("Session")));
        }
        return ops;
    }

    /// <summary>Runs ops against a copy of the table; commits the copy only if all succeeded. Every write shares one new index.</summary>
    private (bool Ok, List<(EmulatedEntry Entry, bool WithValue)> Results, (int OpIndex, string What)? Error) Execute(IReadOnlyList<TxnOpSpec> ops)
    {
        lock (_gate)
        {
            var table = _table.Clone();
            var index = _index + 1;
            var results = new List<(EmulatedEntry, bool)>();
            for (var i = 0; i < ops.Count; i++)
            {
                try
                {
                    if (Apply(table, ops[i], index) is { } result)
                        results.Add(result);
                }
                catch (TxnFailure failure)
                {
                    return (false, [], (i, failure.Message));
                }
            }
            if (ops.Any(o => s_writeVerbs.Contains(o.Verb)))
            {
                _table = table;
                _index = index;
                Signal();
            }
            return (true, results, null);
        }
    }

    /// <summary>One op on <paramref name="t"/>; the result entry, if the verb returns one. Caller holds <see cref="_gate"/>.</summary>
    private (EmulatedEntry, bool)? Apply(EmulatorKvTable t, TxnOpSpec op, ulong index)
    {
        var existing = t.Entries.GetValueOrDefault(op.Key);
        switch (op.Verb)
        {
            case "set":
                return (Set(t, op, existing, index, existing?.Session, existing?.LockIndex ?? 0), false);
            case "cas":
                if (op.Index == 0 ? existing is not null : existing?.ModifyIndex != op.Index)
                    throw new TxnFailure($"failed to set key \"{op.Key}\", index is stale");
                return (Set(t, op, existing, index, existing?.Session, existing?.LockIndex ?? 0), false);
            case "lock":
                if (op.Session is null || !_sessions.ContainsKey(op.Session))
                    throw new TxnFailure($"failed to lock key \"{op.Key}\": invalid session \"{op.Session}\"");
                if (existing?.Session is { } holder && holder != op.Session)
                    throw new TxnFailure($"failed to lock key \"{op.Key}\", lock is already held");
                if (existing?.Session is null && t.LockDelayUntil.TryGetValue(op.Key, out var until) && until > Now)
                    throw new TxnFailure($"failed to lock key \"{op.Key}\", lock delay in effect");
                var lockIndex = existing?.Session == op.Session ? existing!.LockIndex : (existing?.LockIndex ?? 0) + 1;
                return (Set(t, op, existing, index, op.Session, lockIndex), false);
            case "unlock":
                if (existing?.Session is null || existing.Session != op.Session)
                    throw new TxnFailure($"failed to unlock key \"{op.Key}\", lock isn't held, or is held by another session");
                return (Set(t, op, existing, index, null, existing.LockIndex), false);
            case "get":
                return existing is null ? throw new TxnFailure($"key \"{op.Key}\" doesn't exist") : (existing, true);
            case "check-index":
                if (existing is null || existing.ModifyIndex != op.Index)
                    throw new TxnFailure($"current modify index {existing?.ModifyIndex ?? 0} != {op.Index}");
                return (existing, false);
            case "check-session":
                if (existing is null || existing.Session != op.Session)
                    throw new TxnFailure($"key \"{op.Key}\" is not locked by session \"{op.Session}\"");
                return (existing, false);
            case "check-not-exists":
                if (existing is not null)
                    throw new TxnFailure($"key \"{op.Key}\" exists");
                return null;
            case "delete":
                t.Remove(op.Key, index);
                return null;
            case "delete-cas":
                if (op.Index == 0 || existing is null || existing.ModifyIndex != op.Index)
                    throw new TxnFailure($"failed to delete key \"{op.Key}\", index is stale");
                t.Remove(op.Key, index);
                return null;
            case "delete-tree":
                foreach (var key in t.Entries.Keys.Where(k => k.StartsWith(op.Key, StringComparison.Ordinal)).ToList())
                    t.Remove(key, index);
                return null;
            default:
                throw new TxnFailure($"unknown verb \"{op.Verb}\"");
        }
    }

    private static EmulatedEntry Set(EmulatorKvTable t, TxnOpSpec op, EmulatedEntry? existing, ulong index, string? session, ulong lockIndex)
    {
        var entry = new EmulatedEntry(op.Key, op.Value ?? [], op.Flags, existing?.CreateIndex ?? index, index, lockIndex, session);
        t.Write(entry);
        return entry;
    }
}
