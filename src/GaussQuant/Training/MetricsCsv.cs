using System.Globalization;
using System.Text;

namespace GaussQuant.Training;

/// <summary>
/// <c>metrics.csv</c>: one row per logged step with the same scalars as TensorBoard. On resume, rows after the
/// checkpoint's step (logged by the interrupted run, and about to be logged again) are dropped first.
/// </summary>
internal sealed class MetricsCsv
{
    private static readonly string[] Columns =
    [
        "step", "epoch", "phase", "images_per_s", "loss", "nll", "rec", "kl_loss", "bits_mean", "bits_min", "bits_max",
        "lambda", "lambda_min", "lambda_max", "logvar", "g_loss", "d_weight", "disc_loss", "logits_real", "logits_fake",
    ];

    private readonly string path;

    public MetricsCsv(string path, long? keepUpToStep)
    {
        this.path = path;
        if (keepUpToStep is null || !File.Exists(path))
        {
            File.WriteAllText(path, string.Join(",", Columns) + "\n");
            return;
        }
        var kept = File.ReadAllLines(path)
            .Where((line, index) => index == 0 || (long.TryParse(line.Split(',')[0], CultureInfo.InvariantCulture, out long step) && step <= keepUpToStep))
            .ToList();
        File.WriteAllText(path, string.Join("\n", kept) + "\n");
    }

    public void Append(TrainingStepMetrics m)
    {
        var values = new object[]
        {
            m.Step, m.Epoch, m.Phase == TrainingPhase.Autoencoder ? "ae" : "disc", m.ImagesPerSecond, m.Loss, m.Nll, m.Reconstruction,
            m.KlLoss, m.Bits.Mean, m.Bits.Min, m.Bits.Max, m.Weights.Lambda, m.Weights.LambdaMin, m.Weights.LambdaMax,
            m.LogVariance, m.GeneratorLoss, m.AdaptiveWeight, m.DiscriminatorLoss, m.LogitsReal, m.LogitsFake,
        };
        var line = new StringBuilder();
        foreach (var value in values)
        {
            if (line.Length > 0) line.Append(',');
            line.Append(value is double number ? number.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        File.AppendAllText(path, line.Append('\n').ToString());
    }
}
