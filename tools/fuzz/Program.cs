using System.Globalization;
using GaussQuant.Fuzz;
using GaussQuant.IO;

// gq-fuzz [--formats png,yaml,...] [--cases N (20000)] [--minutes M] [--seed S] [--findings DIR] [--repository DIR]
// Mutates the repository's seed files and runs gq's readers in this process; exits 1 when anything crashed or hung.
var options = args.Select((value, index) => (value, index)).Where(pair => pair.value.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(pair => pair.value[2..], pair => pair.index + 1 < args.Length ? args[pair.index + 1] : "");
string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);

string repository = options.TryGetValue("repository", out string? given) ? given : FindRepository(AppContext.BaseDirectory);
var formats = Option("formats", string.Join(',', FuzzFormats.Names)).Split(',', StringSplitOptions.RemoveEmptyEntries);
double minutes = double.Parse(Option("minutes", "0"), CultureInfo.InvariantCulture);
var campaign = new FuzzCampaign
{
    Cases = int.Parse(Option("cases", "20000"), CultureInfo.InvariantCulture),
    Budget = minutes > 0 ? TimeSpan.FromMinutes(minutes) : null,
    Seed = int.Parse(Option("seed", "1"), CultureInfo.InvariantCulture),
    FindingsFolder = Option("findings", Path.Combine(Path.GetTempPath(), "gq-fuzz-findings")),
};
// Small limits, so that mutated sizes reach the limits' checks quickly and a case stays within its memory bound.
ResourceLimits.Current = FuzzLimits.Small;

int findings = 0;
Console.WriteLine($"{"format",-12} {"cases",7} {"read",7} {"refused",7} {"crashes",7} {"hangs",5} {"seconds",8}");
foreach (string format in formats)
{
    var target = FuzzFormats.Create(format, repository);
    foreach (string refusal in FuzzCampaign.RefusedSeeds(target))
        Console.WriteLine($"  {format} {refusal}");
    var result = campaign.Run(target);
    Console.WriteLine($"{result.Format,-12} {result.Cases,7} {result.Accepted,7} {result.Refused,7} {result.Crashes.Count,7} {result.Hangs.Count,5} {result.Elapsed.TotalSeconds,8:0.0}");
    // One line per kind of finding (its first line), with how often it happened and one input that shows it.
    foreach (var kind in result.Crashes.Concat(result.Hangs).GroupBy(finding => finding.Problem.Split('\n')[0]))
        Console.WriteLine($"  {kind.Count()} x {kind.Key} (e.g. case {kind.First().Case}: {kind.First().SavedAs})");
    findings += result.Crashes.Count + result.Hangs.Count;
}
return findings == 0 ? 0 : 1;

static string FindRepository(string start)
{
    for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "GaussQuant.slnx"))) return folder.FullName;
    throw new DirectoryNotFoundException($"no GaussQuant.slnx above {start}; run gq-fuzz from inside the repository");
}
