using System.Globalization;
using GaussQuant.Imaging;

namespace GaussQuant.Tests.Reports;

/// <summary>
/// A run directory laid out as <c>gq train</c> leaves it, with made-up content: configs/cifar32_k1024.yaml as the
/// resolved config, 40 logged steps (every 5th a discriminator step with GAN terms) and a row cut short by a kill,
/// ten sample grids (steps 10, 20, …, 100), checkpoints at 50 (with state) and 100 (weights only, <c>last</c>).
/// </summary>
internal sealed class SyntheticRun : IDisposable
{
    public const string Header = "step,epoch,phase,images_per_s,loss,nll,rec,kl_loss,bits_mean,bits_min,bits_max," +
                                 "lambda,lambda_min,lambda_max,logvar,g_loss,d_weight,disc_loss,logits_real,logits_fake";

    public SyntheticRun()
    {
        Root = Directory.CreateTempSubdirectory("gq-run-report-").FullName;
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k1024.yaml"), Path.Combine(Root, "config.yaml"));
        var rows = new List<string> { Header };
        for (int step = 1; step <= 40; step++)
        {
            bool disc = step % 5 == 0;
            double loss = 1000.0 / step;
            rows.Add(string.Join(",", new object[]
            {
                step, step / 10, disc ? "disc" : "ae", 50.5, disc ? 0.7 : loss, disc ? 0 : loss * 0.9, disc ? 0 : 0.4 - step * 0.005, 10,
                10 - 5.0 / step, 2, 14, 1.0 / step, 0.5 / step, 2.0 * step, -0.01 * step, disc ? 0 : 0.2, disc ? 0 : 0.8,
                disc ? 0.69 : 0, disc ? 0.1 : 0, disc ? -0.1 : 0,
            }.Select(value => Convert.ToString(value, CultureInfo.InvariantCulture))));
        }
        rows.Add("41,4,ae,50.5,12.0");   // cut short by a kill
        File.WriteAllText(Path.Combine(Root, "metrics.csv"), string.Join("\n", rows) + "\n");

        Directory.CreateDirectory(Path.Combine(Root, "images"));
        for (int step = 10; step <= 100; step += 10)
            ImageEncoder.WritePng(Path.Combine(Root, "images", $"step-{step:D6}.png"), Grid(step));
        string checkpoints = Path.Combine(Root, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        File.WriteAllBytes(Path.Combine(checkpoints, "step-000050.safetensors"), new byte[3 << 20]);
        File.WriteAllBytes(Path.Combine(checkpoints, "state-000050.bin"), [1]);
        File.WriteAllBytes(Path.Combine(checkpoints, "step-000100.safetensors"), new byte[1 << 20]);
        File.WriteAllText(Path.Combine(checkpoints, "last"), "100\n");
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Three rows of four 16-px tiles whose colours change with the step.</summary>
    private static RgbImage Grid(int step)
    {
        var tiles = Enumerable.Range(0, 3).Select(row => (IReadOnlyList<RgbImage>)Enumerable.Range(0, 4).Select(column =>
        {
            var pixels = new byte[16 * 16 * 3];
            for (int pixel = 0; pixel < 16 * 16; pixel++)
                (pixels[3 * pixel], pixels[3 * pixel + 1], pixels[3 * pixel + 2]) = ((byte)(step * 2), (byte)(column * 60), (byte)(row * 100 + pixel % 16));
            return new RgbImage(16, 16, pixels);
        }).ToList()).ToList();
        return ImageGrid.Compose(tiles);
    }
}
