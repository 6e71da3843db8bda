using System.Net;
using System.Text.Json;
using DockerNetPlugin.Store.Consul;
using Microsoft.AspNetCore.Http;

namespace DockerNetPlugin.Emulators.Consul;

/// <summary>/v1/session: create, renew, destroy, info; TTL expiry applies the session's Behavior (kv.md §1.9).</summary>
public sealed partial class ConsulEmulator
{
    private static readonly TimeSpan MaxSessionTtl = TimeSpan.FromHours(24);

    private async Task HandleSessionAsync(HttpContext ctx, string rest, CancellationToken ct)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var (verb, id) = slash < 0 ? (rest, string.Empty) : (rest[..slash], rest[(slash + 1)..]);
        switch (verb)
        {
            case "create" when ctx.Request.Method == "PUT":
                await CreateSessionAsync(ctx, ct);
                break;
            case "renew" when ctx.Request.Method == "PUT":
                EmulatedSession? renewed;
                lock (_gate)
                {
                    if (_sessions.TryGetValue(id, out renewed) && renewed.Ttl is { } ttl)
                        renewed.ExpiresAt = After(ttl * TtlMultiplier);
                }
                if (renewed is null)
                    await WriteTextAsync(ctx, HttpStatusCode.NotFound, $"Session id '{id}' not found");
                else
                    await WriteSessionsAsync(ctx, [renewed]);
                break;
            case "destroy" when ctx.Request.Method == "PUT":
                lock (_gate)
                    Invalidate(id);
                await WriteJsonAsync(ctx, HttpStatusCode.OK, w => w.WriteBooleanValue(true), null);
                break;
            case "info" when ctx.Request.Method == "GET":
                EmulatedSession? found;
                lock (_gate)
                    found = _sessions.GetValueOrDefault(id);
                await WriteSessionsAsync(ctx, found is null ? [] : [found]);
                break;
            default:
                await WriteTextAsync(ctx, HttpStatusCode.MethodNotAllowed, $"session endpoint '{verb}' is not emulated for {ctx.Request.Method}");
                break;
        }
    }

    /// <summary>Ends a session as if its TTL ran out (server-side invalidation).</summary>
    public void ExpireSession(string id)
    {
        lock (_gate)
            Invalidate(id);
    }

    private async Task CreateSessionAsync(HttpContext ctx, CancellationToken ct)
    {
        var body = await ReadBodyAsync(ctx, ct);
        string name = string.Empty, behavior = "release";
        TimeSpan? ttl = null;
        var lockDelay = TimeSpan.FromSeconds(15);
        try
        {
            if (body.Length > 0)
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.TryGetProperty("Name", out var n))
                    name = n.GetString() ?? string.Empty;
                if (root.TryGetProperty("Behavior", out var b))
                    behavior = b.GetString() ?? "release";
                if (root.TryGetProperty("TTL", out var t) && t.GetString() is { Length: > 0 } ttlText)
                    ttl = ConsulDuration.TryParse(ttlText) ?? throw new FormatException($"Invalid TTL '{ttlText}'");
                if (root.TryGetProperty("LockDelay", out var d))
                {
                    // A string is a duration; a number below 1000 means seconds, otherwise nanoseconds.
                    lockDelay = d.ValueKind == JsonValueKind.String
                        ? ConsulDuration.TryParse(d.GetString()) ?? throw new FormatException("Invalid LockDelay")
                        : d.GetInt64() < 1000 ? TimeSpan.FromSeconds(d.GetInt64()) : TimeSpan.FromTicks(d.GetInt64() / 100);
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, "Request decode failed: " + e.Message);
            return;
        }
        if (behavior is not ("release" or "delete"))
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, $"Invalid Behavior setting '{behavior}'");
            return;
        }
        if (ttl is { } requested && (requested < MinSessionTtl || requested > MaxSessionTtl))
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest,
                $"Invalid Session TTL '{ConsulDuration.Format(requested)}', must be between [{ConsulDuration.Format(MinSessionTtl)}={ConsulDuration.Format(MaxSessionTtl)}]");
            return;
        }
        var id = Guid.NewGuid().ToString();
        lock (_gate)
        {
            _index++;
            _sessions[id] = new EmulatedSession
            {
                Id = id,
                Name = name,
                Ttl = ttl,
                Behavior = behavior,
                LockDelay = lockDelay,
                CreateIndex = _index,
                ExpiresAt = ttl is { } t ? After(t * TtlMultiplier) : null,
            };
        }
        await WriteJsonAsync(ctx, HttpStatusCode.OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("ID", id);
            w.WriteEndObject();
        }, null);
    }

    private Task WriteSessionsAsync(HttpContext ctx, IReadOnlyList<EmulatedSession> sessions) =>
        WriteJsonAsync(ctx, HttpStatusCode.OK, w =>
        {
            w.WriteStartArray();
            foreach (var s in sessions)
            {
                w.WriteStartObject();
                w.WriteString("ID", s.Id);
                w.WriteString("Name", s.Name);
                w.WriteString("Node", "emulator");
                w.WriteNumber("LockDelay", s.LockDelay.Ticks * 100);
                w.WriteString("Behavior", s.Behavior);
                w.WriteString("TTL", s.Ttl is { } t ? ConsulDuration.Format(t) : string.Empty);
                w.WriteNumber("CreateIndex", s.CreateIndex);
                w.WriteNumber("ModifyIndex", s.CreateIndex);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }, CurrentIndex);

    private void ExpireSessions()
    {
        lock (_gate)
        {
            var now = Now;
            foreach (var s in _sessions.Values.Where(s => s.ExpiresAt is { } at && at <= now).ToList())
                Invalidate(s.Id);
        }
    }

    /// <summary>Removes the session; its keys are deleted or released per Behavior, under lock delay. Caller holds <see cref="_gate"/>.</summary>
    private void Invalidate(string id)
    {
        if (!_sessions.Remove(id, out var session))
            return;
        _index++;
        var table = _table.Clone();
        foreach (var held in table.Entries.Values.Where(e => e.Session == id).ToList())
        {
            if (session.Behavior == "delete")
                table.Remove(held.Key, _index);
            else
                table.Write(held with { Session = null, ModifyIndex = _index });
            table.LockDelayUntil[held.Key] = After(session.LockDelay);
        }
        _table = table;
        Signal();
    }
}
