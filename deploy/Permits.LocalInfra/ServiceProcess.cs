using System.Diagnostics;
using System.Net;

namespace Permits.LocalInfra;

/// <summary>
/// One service running as a child <c>dotnet &lt;dll&gt;</c> process. Its output goes to
/// <c>&lt;logDirectory&gt;/&lt;name&gt;.log</c> and the last lines are kept for error messages.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private const int ReportedLines = 40;
    private static readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Queue<string> lastLines = new();
    private bool logClosed;

    private ServiceProcess(string name, Process process, StreamWriter log, string logFile)
    {
        Name = name;
        this.process = process;
        this.log = log;
        LogFile = logFile;
    }

    public string Name { get; }

    public string LogFile { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The operating system's id of the process (for its CPU time and memory in /proc).</summary>
    public int ProcessId => process.Id;

    /// <summary>
    /// Starts <c>dotnet <paramref name="dllPath"/></c> in the dll's folder (so it finds its appsettings.json), with
    /// this machine's environment plus <paramref name="environment"/>. Appends to the log file if it exists
    /// (a restarted service keeps one log).
    /// </summary>
    public static ServiceProcess Start(string name, string dllPath, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        dllPath = Path.GetFullPath(dllPath);
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException(
                $"{name}: '{dllPath}' does not exist. Build the solution first (./build.sh build).", dllPath);
        }

        Directory.CreateDirectory(logDirectory);
        var logFile = Path.Combine(Path.GetFullPath(logDirectory), name + ".log");
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        log.WriteLine($"===== {DateTimeOffset.Now:O} starting {name}: dotnet {dllPath}");

        var info = new ProcessStartInfo(DotnetHost.Path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
        };
        info.ArgumentList.Add(dllPath);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process, log, logFile);
        process.OutputDataReceived += (_, e) => service.Record(e.Data);
        process.ErrorDataReceived += (_, e) => service.Record(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            log.Dispose();
            throw new InvalidOperationException($"{name}: cannot start '{DotnetHost.Path}': {e.Message}", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>
    /// Polls <paramref name="healthUrl"/> (HTTP/1.1) until it answers 200. Throws, with the service's last log
    /// lines, if the process exits or the time runs out first.
    /// </summary>
    public async Task WaitHealthyAsync(string healthUrl, TimeSpan timeout, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (true)
        {
            if (process.HasExited)
            {
                throw Failure($"exited with code {process.ExitCode} before {healthUrl} answered 200");
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, healthUrl)
                {
                    Version = HttpVersion.Version11,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                last = "request timed out";
            }

            if (clock.Elapsed > timeout)
            {
                throw Failure($"was not healthy at {healthUrl} within {timeout.TotalSeconds:0} s (last: {last})");
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>Kills the process and its children at once, like a crash would.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        // The port is free only once the process is gone.
        process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process.WaitForExit(2_000);
        lock (lastLines)
        {
            logClosed = true;
            log.Dispose();
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The last <paramref name="count"/> lines the process wrote.</summary>
    public IReadOnlyList<string> LastLines(int count = ReportedLines)
    {
        lock (lastLines)
        {
            return lastLines.TakeLast(count).ToList();
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > KeptLines)
            {
                lastLines.Dequeue();
            }

            if (!logClosed)
            {
                log.WriteLine(line);
            }
        }
    }

    private InvalidOperationException Failure(string what)
    {
        // Give the reader a moment to collect the dying process's last words.
        process.WaitForExit(500);
        var lines = LastLines();
        return new InvalidOperationException(
            $"{Name} {what}. Log: {LogFile}. Last {lines.Count} lines:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
    }
}
