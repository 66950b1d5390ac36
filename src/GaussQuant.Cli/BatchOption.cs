using System.CommandLine;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli;

/// <summary><c>--batch B</c>, the same option on every command that runs images through the model.</summary>
internal sealed class BatchOption : Option<int?>
{
    public BatchOption() : base("--batch")
    {
        HelpName = "B";
        Description = $"Images per model call. Default: as many as keep the model's activations within " +
                      $"{DefaultBatchSize.MemoryBudgetBytes >> 20} MiB at the image size, at most {DefaultBatchSize.Max}.";
        Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError("--batch must be at least 1");
        });
    }
}
