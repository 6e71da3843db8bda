using System.Text.Json;
using DockerNetPlugin.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace DockerNetPlugin.Host;

/// <summary><c>dnp serve</c>: the plugin protocol on a unix socket (mode 0660, no TCP listener), driver and IPAM behind it.</summary>
public static class PluginServer
{
    public static async Task<int> RunAsync(HostSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var serilog = CreateLogger(settings);
        using var loggers = LoggerFactory.Create(b => b.AddSerilog(serilog));
        var log = loggers.CreateLogger("DockerNetPlugin.Host");

        // No config-file reload: it watches the content root (the working directory, "/" under systemd and in a
        // managed plugin) recursively, which took ~18 s before the socket was bound.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(serilog);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<PluginCall>();
        using var socket = PrivateSocket.Prepare(settings.Socket);
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket.BindPath));

        await using var runtime = new PluginRuntime(settings, loggers);
        await using var app = builder.Build();
        var call = app.Services.GetRequiredService<PluginCall>();
        app.MapNetworkDriver(call, runtime);
        app.MapIpamDriver(call, runtime);
        app.MapOperator(runtime);
        // "{*path}", not the default "{*path:nonfile}": every method name ("/NetworkDriver.Nope") looks like a file name,
        // and a wrong verb on a known path must get this JSON answer too, not an empty 404/405.
        app.MapFallback("{*path}", async (HttpContext http) =>
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await JsonSerializer.SerializeAsync(http.Response.Body,
                new NetworkErrorResponse($"dnp does not implement {http.Request.Method} {http.Request.Path}"), PluginJsonContext.Default.NetworkErrorResponse).ConfigureAwait(false);
        });

        await app.StartAsync(ct).ConfigureAwait(false);
        socket.Publish();
        HostLog.Listening(log, settings.Socket, Store.StoreConnection.Redact(settings.Store), settings.StateDirectory, settings.NetnsDirectory);
        runtime.Start();
        using var systemd = SystemdNotifier.Start(runtime, log, ct);

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = ct.Register(() => stopped.TrySetResult());
        app.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
        await stopped.Task.ConfigureAwait(false);
        HostLog.Stopping(log);
        systemd.Stopping();
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    private static Serilog.Core.Logger CreateLogger(HostSettings settings)
    {
        var level = settings.LogLevel.ToLowerInvariant() switch
        {
            "trace" or "verbose" => LogEventLevel.Verbose,
            "debug" => LogEventLevel.Debug,
            "info" or "information" => LogEventLevel.Information,
            "warn" or "warning" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            _ => throw new SettingsException($"DNP_LOG_LEVEL='{settings.LogLevel}' must be one of debug, info, warn, error"),
        };
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        // Docker collects a managed plugin's stderr into the daemon log.
        config = settings.LogFormat == "json"
            ? config.WriteTo.Console(new JsonFormatter(renderMessage: true), standardErrorFromLevel: LogEventLevel.Verbose)
            : config.WriteTo.Console(outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return config.CreateLogger();
    }
}
