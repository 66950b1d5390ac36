using System.Diagnostics;

namespace GaussQuant.Fuzz;

/// <summary>
/// Runs one format's readers on mutated files, one case at a time on a fresh thread, in process. A case passes when
/// the file is read, or refused with an <see cref="InvalidDataException"/>, <see cref="NotSupportedException"/> or
/// <see cref="IOException"/> whose message names it. Anything else is a crash; a case still running after
/// <see cref="CaseTimeout"/> is a hang (and ends the format's campaign, as its thread cannot be stopped); a case
/// allocating more than <see cref="CaseAllocationBytes"/> of managed memory counts as a crash too.
/// </summary>
public sealed class FuzzCampaign
{
    /// <summary>Cases per format at most.</summary>
    public required int Cases { get; init; }

    /// <summary>Time per format at most (null: no limit but <see cref="Cases"/>).</summary>
    public TimeSpan? Budget { get; init; }

    public int Seed { get; init; } = 1;

    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public long CaseAllocationBytes { get; init; } = 512L << 20;

    /// <summary>Where crashing and hanging inputs are kept (and the running case, in case it takes the process down); null: nowhere.</summary>
    public string? FindingsFolder { get; init; }

    /// <summary>The seeds the readers do not accept, with why: a harness whose seeds are refused fuzzes only the refusal.</summary>
    internal static IReadOnlyList<string> RefusedSeeds(FuzzFormat format)
    {
        string work = Path.Combine(Path.GetTempPath(), $"gq-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var refused = new List<string>();
        try
        {
            for (int index = 0; index < format.Seeds.Count; index++)
            {
                string path = Path.Combine(work, "seed" + format.Extension);
                File.WriteAllBytes(path, format.Seeds[index]);
                try { format.Read(path); }
                catch (Exception error) { refused.Add($"seed {index}: {error.GetType().Name}: {error.Message}"); }
                Clear(work);
            }
        }
        finally { Directory.Delete(work, recursive: true); }
        return refused;
    }

    internal FuzzResult Run(FuzzFormat format)
    {
        string work = Path.Combine(Path.GetTempPath(), $"gq-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        if (FindingsFolder is not null) Directory.CreateDirectory(FindingsFolder);
        var random = new Random(unchecked(Seed * 1_000_003 ^ StableHash(format.Name)));
        int maxLength = 4 * format.Seeds.Max(seed => seed.Length) + 65536;
        var mutator = new Mutator(random, format.Seeds, format.Tokens, maxLength);
        var crashes = new List<FuzzFinding>();
        var hangs = new List<FuzzFinding>();
        int accepted = 0, refused = 0, cases = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            for (; cases < Cases && (Budget is null || clock.Elapsed < Budget); cases++)
            {
                byte[] input = mutator.Next();
                if (format.Repair is not null && random.Next(4) != 0) input = format.Repair(input, random);
                string path = Path.Combine(work, "case" + format.Extension);
                File.WriteAllBytes(path, input);
                format.Complete?.Invoke(path);
                if (FindingsFolder is not null) File.WriteAllBytes(Path.Combine(FindingsFolder, $"running-{format.Name}{format.Extension}"), input);

                var outcome = RunOne(format, path);
                if (outcome.TimedOut)
                {
                    hangs.Add(new FuzzFinding(format.Name, cases, $"still running after {CaseTimeout}", Keep(format, cases, input, "hang")));
                    cases++;
                    break;
                }
                string? problem = Problem(outcome, work);
                if (problem is not null) crashes.Add(new FuzzFinding(format.Name, cases, problem, Keep(format, cases, input, "crash")));
                else if (outcome.Error is null) accepted++;
                else refused++;
                Clear(work);
            }
        }
        finally
        {
            if (hangs.Count == 0) Directory.Delete(work, recursive: true);
            if (FindingsFolder is not null) File.Delete(Path.Combine(FindingsFolder, $"running-{format.Name}{format.Extension}"));
        }
        return new FuzzResult(format.Name, cases, accepted, refused, crashes, hangs, clock.Elapsed);
    }

    private sealed record Outcome(bool TimedOut, Exception? Error, long Allocated);

    private Outcome RunOne(FuzzFormat format, string path)
    {
        Exception? error = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { format.Read(path); }
            catch (Exception caught) { error = caught; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true, Name = $"fuzz {format.Name}" };
        thread.Start();
        return thread.Join(CaseTimeout) ? new Outcome(false, error, allocated) : new Outcome(true, null, 0);
    }

    private string? Problem(Outcome outcome, string work)
    {
        if (outcome.Allocated > CaseAllocationBytes)
            return $"allocated {outcome.Allocated} bytes, more than the {CaseAllocationBytes} bound";
        return outcome.Error switch
        {
            null => null,
            InvalidDataException or NotSupportedException or IOException when outcome.Error.Message.Contains(work, StringComparison.Ordinal) => null,
            InvalidDataException or NotSupportedException or IOException => $"the message does not name the file: {outcome.Error.GetType().Name}: {outcome.Error.Message}",
            var other => $"{other.GetType().FullName}: {other.Message}\n{other.StackTrace}",
        };
    }

    private string? Keep(FuzzFormat format, int index, byte[] input, string kind)
    {
        if (FindingsFolder is null) return null;
        string path = Path.Combine(FindingsFolder, $"{kind}-{format.Name}-{Seed}-{index:D6}{format.Extension}");
        File.WriteAllBytes(path, input);
        return path;
    }

    private static void Clear(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder)) File.Delete(file);
        foreach (string directory in Directory.EnumerateDirectories(folder)) Directory.Delete(directory, recursive: true);
    }

    // string.GetHashCode is randomised per process; a campaign must be repeatable from its seed.
    private static int StableHash(string text) => text.Aggregate(17, (hash, character) => unchecked(hash * 31 + character));
}
