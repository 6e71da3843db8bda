using System.Globalization;
using System.Net;
using DockerNetPlugin.Store.Consul;
using Microsoft.AspNetCore.Http;

namespace DockerNetPlugin.Emulators.Consul;

/// <summary>/v1/kv: reads (with blocking queries), writes with cas/acquire/release, deletes (kv.md §1.2-§1.6).</summary>
public sealed partial class ConsulEmulator
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    private async Task HandleKvAsync(HttpContext ctx, string key, CancellationToken ct)
    {
        var query = ctx.Request.Query;
        if (key.StartsWith('/'))
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, "Invalid key name: leading '/'");
            return;
        }
        switch (ctx.Request.Method)
        {
            case "GET":
                await ReadAsync(ctx, key, query.ContainsKey("recurse"), ct);
                break;
            case "PUT":
                await WriteAsync(ctx, key, ct);
                break;
            case "DELETE":
                await DeleteAsync(ctx, key);
                break;
            default:
                await WriteTextAsync(ctx, HttpStatusCode.MethodNotAllowed, "method not allowed");
                break;
        }
    }

    private async Task ReadAsync(HttpContext ctx, string key, bool recurse, CancellationToken ct)
    {
        var minIndex = ParseUlong(ctx.Request.Query["index"]) ?? 0;
        var wait = ConsulDuration.TryParse(ctx.Request.Query["wait"]) ?? TimeSpan.FromMinutes(5);
        if (wait > MaxWait)
            wait = MaxWait;
        // Consul adds up to wait/16 of jitter to a blocking query.
        var deadline = After(wait + (wait / 16 * Random.Shared.NextDouble()));
        int generation;
        lock (_gate)
            generation = _abandonGeneration;
        while (true)
        {
            List<EmulatedEntry> entries;
            ulong index;
            Task changed;
            bool abandoned;
            lock (_gate)
            {
                if (recurse)
                {
                    entries = _table.Entries.Values.Where(e => e.Key.StartsWith(key, StringComparison.Ordinal)).ToList();
                    index = _table.PrefixIndex(key);
                }
                else
                {
                    entries = _table.Entries.TryGetValue(key, out var e) ? [e] : [];
                    index = entries.Count > 0 ? entries[0].ModifyIndex : _table.TableIndex;
                }
                index = Math.Max(index, 1);
                changed = _changed.Task;
                abandoned = generation != _abandonGeneration;
            }
            var remaining = deadline - Now;
            if (minIndex == 0 || index > minIndex || abandoned || remaining <= 0 || AnswerIndexZero)
            {
                if (entries.Count == 0)
                {
                    ctx.Response.StatusCode = 404;
                    ctx.Response.Headers["X-Consul-Index"] = (AnswerIndexZero ? 0 : index).ToString(CultureInfo.InvariantCulture);
                    return;
                }
                await WriteJsonAsync(ctx, HttpStatusCode.OK, w =>
                {
                    w.WriteStartArray();
                    foreach (var e in entries)
                        WriteEntry(w, e, withValue: true);
                    w.WriteEndArray();
                }, index);
                return;
            }
            await Task.WhenAny(changed, Task.Delay(TimeSpan.FromSeconds((double)remaining / System.Diagnostics.Stopwatch.Frequency), ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    private async Task WriteAsync(HttpContext ctx, string key, CancellationToken ct)
    {
        var query = ctx.Request.Query;
        var modes = new[] { "cas", "acquire", "release" }.Count(query.ContainsKey);
        if (modes > 1)
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, "Conflicting flags: cas, acquire and release are mutually exclusive");
            return;
        }
        if (key.Length == 0)
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, "Missing key name");
            return;
        }
        var value = await ReadBodyAsync(ctx, ct);
        if (value.Length > MaxValueBytes)
        {
            await WriteTextAsync(ctx, HttpStatusCode.RequestEntityTooLarge, $"Request body(value) too large, max size: {MaxValueBytes} bytes");
            return;
        }
        var flags = ParseUlong(query["flags"]) ?? 0;
        TxnOpSpec op;
        if (query.ContainsKey("cas"))
        {
            op = new TxnOpSpec("cas", key, value, flags, ParseUlong(query["cas"]) ?? 0, null);
        }
        else if (query.ContainsKey("acquire") || query.ContainsKey("release"))
        {
            var acquire = query.ContainsKey("acquire");
            var session = (string?)query[acquire ? "acquire" : "release"];
            bool known;
            lock (_gate)
                known = session is not null && _sessions.ContainsKey(session);
            if (!known)
            {
                await WriteTextAsync(ctx, HttpStatusCode.InternalServerError, $"invalid session \"{session}\"");
                return;
            }
            op = new TxnOpSpec(acquire ? "lock" : "unlock", key, value, flags, 0, session);
        }
        else
        {
            op = new TxnOpSpec("set", key, value, flags, 0, null);
        }
        var (ok, _, _) = Execute([op]);
        await WriteJsonAsync(ctx, HttpStatusCode.OK, w => w.WriteBooleanValue(ok), null);
    }

    private async Task DeleteAsync(HttpContext ctx, string key)
    {
        var query = ctx.Request.Query;
        if (query.ContainsKey("recurse") && query.ContainsKey("cas"))
        {
            await WriteTextAsync(ctx, HttpStatusCode.BadRequest, "Conflicting flags: cas and recurse");
            return;
        }
        var op = query.ContainsKey("recurse")
            ? new TxnOpSpec("delete-tree", key, null, 0, 0, null)
            : query.ContainsKey("cas")
                ? new TxnOpSpec("delete-cas", key, null, 0, ParseUlong(query["cas"]) ?? 0, null)
                : new TxnOpSpec("delete", key, null, 0, 0, null);
        var (ok, _, _) = Execute([op]);
        await WriteJsonAsync(ctx, HttpStatusCode.OK, w => w.WriteBooleanValue(ok), null);
    }

    private static ulong? ParseUlong(string? text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
