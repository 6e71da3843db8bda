using DockerNetPlugin.Demo;

// `make demo`: two simulated Docker hosts and an etcd, one network created on the first host only, a container
// on each host, the cross-host ping, and what each host's overlay namespace holds. Everything is removed at the end.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
return await Walkthrough.RunAsync(Console.Out, stop.Token).ConfigureAwait(false);
