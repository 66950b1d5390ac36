using System.Text.Json;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Evaluation;
using GaussQuant.Evaluation.Networks;
using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Quantization;
using GaussQuant.Tests.Evaluation;
using GaussQuant.Tokens;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Pipelines;

/// <summary>
/// The evaluation pipeline on a small random model (configs/cifar32_k4096.yaml) and a folder of synthetic PNGs of
/// assorted sizes with one corrupt file: the report must hold what direct calls of the metric functions give.
/// </summary>
public class EvaluationPipelineTests : IClassFixture<EvaluationPipelineTests.Setup>
{
    private const int Size = 32;
    /// <summary>
    /// Where the pipeline and direct calls run the network on the same batch in this process, their float32 outputs
    /// are bitwise equal and the metrics differ only by the order of float64 sums (≤ n·2⁻⁵³ relative, n ≤ 10⁵).
    /// </summary>
    private const double Tolerance = 1e-6;
    private readonly Setup setup;

    public EvaluationPipelineTests(Setup setup) => this.setup = setup;

    /// <summary>The model, the image folder and (built on first use, they are large) the metric networks' weight files.</summary>
    public sealed class Setup : IDisposable
    {
        private readonly Lazy<(string Backbone, string Heads, string Inception)> networkFiles;

        public Setup()
        {
            Root = Directory.CreateTempSubdirectory("gq-eval-test-").FullName;
            Images = Path.Combine(Root, "images");
            Directory.CreateDirectory(Images);
            // Sides other than 32 exercise the resize and centre crop; 02.png is corrupt and sorts between good ones.
            (string Name, int Width, int Height)[] pictures = [("00.png", 40, 32), ("01.png", 32, 48), ("03.png", 36, 36), ("04.png", 32, 32), ("05.png", 50, 40)];
            foreach (var (name, width, height) in pictures)
                ImageEncoder.WritePng(Path.Combine(Images, name), SyntheticImage(name, width, height));
            File.WriteAllBytes(Path.Combine(Images, "02.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4, 5]);
            GoodFiles = pictures.Select(picture => Path.Combine(Images, picture.Name)).ToList();

            string config = Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml");
            string weights = Path.Combine(Root, "model.safetensors");
            manual_seed(7);
            using (var random = ModelFactory.Create(ExperimentLoader.Load(config).Model))
                SafetensorsFile.Write(weights, random.state_dict());
            Model = TokenizerModel.Load(config, weights);
            networkFiles = new(WriteNetworkFiles);
        }

        public string Root { get; }

        public string Images { get; }

        /// <summary>The readable images, in the order the pipeline reads them.</summary>
        public IReadOnlyList<string> GoodFiles { get; }

        public TokenizerModel Model { get; }

        public (string Backbone, string Heads, string Inception) NetworkFiles => networkFiles.Value;

        public void Dispose()
        {
            Model.Dispose();
            Directory.Delete(Root, recursive: true);
        }

        /// <summary>Deterministic LPIPS (AlexNet, torchvision + lpips file layouts) and FID Inception weights, as the network tests make them.</summary>
        private (string, string, string) WriteNetworkFiles()
        {
            string backbone = Write("alexnet.safetensors", LpipsTests.TorchvisionBackbone(LpipsNetwork.AlexNet));
            string heads = Write("alex_heads.safetensors", DeterministicValues.StateDict(LpipsTests.HeadShapes(LpipsNetwork.AlexNet), name => name));
            string inception = Write("inception.safetensors", DeterministicValues.StateDict(FidInceptionV3.RequiredWeights(), name => name));
            return (backbone, heads, inception);
        }

        private string Write(string name, Dictionary<string, Tensor> tensors)
        {
            string path = Path.Combine(Root, name);
            try { SafetensorsFile.Write(path, tensors); }
            finally { foreach (var tensor in tensors.Values) tensor.Dispose(); }
            return path;
        }

        private static RgbImage SyntheticImage(string key, int width, int height)
        {
            byte[] planes = EvaluationImages.Synthetic(key, 3, height, width);
            var pixels = new byte[planes.Length];
            for (int channel = 0; channel < 3; channel++)
                for (int pixel = 0; pixel < width * height; pixel++)
                    pixels[3 * pixel + channel] = planes[channel * width * height + pixel];
            return new RgbImage(width, height, pixels);
        }
    }

    [Fact]
    public void MetricsEqualDirectCallsOfTheMetricFunctions()
    {
        var report = Evaluate(new EvaluationOptions { Data = setup.Images });

        using var scope = NewDisposeScope();
        var (originals, latent) = EncodeDirectly(setup.GoodFiles);
        Assert.Equal(setup.GoodFiles.Count, report.Images);
        Assert.Equal(["vq", "mean"], report.Modes.Keys);
        foreach (var (mode, latentOfMode) in new[] { ("vq", latent.Quantized), ("mean", latent.Mean) })
        {
            var reconstructions = DecodeDirectly(latentOfMode);
            var modeReport = report.Modes[mode];
            AssertSummary(Psnr.PerImage(originals, reconstructions), modeReport.Psnr);
            AssertSummary(StructuralSimilarity.Ssim(originals, reconstructions), modeReport.Ssim!);
        }

        var usage = new CodebookUsage(1, 4096);
        usage.Add(latent.Indices);
        var expected = usage.Summarize();
        var vq = report.Modes["vq"];
        Assert.Equal(expected.Pooled.UsageFraction, vq.CodebookUsage);
        Assert.Equal(expected.Pooled.UsedEntries, vq.UsedEntries);
        Assert.Equal(expected.Pooled.EntropyBits, vq.TokenEntropyBits);
        Assert.Equal(expected.Pooled.Perplexity, vq.Perplexity);
        Assert.Equal(expected.PerCodebook, vq.PerCodebook);
        Assert.Equal(5L * 8 * 8, vq.PerCodebook!.Single().TokenCount);
        Assert.Null(report.Modes["mean"].CodebookUsage);
        Assert.Null(report.Modes["mean"].PerCodebook);

        Assert.Equal(12, report.BitsPerToken);
        Assert.Equal(12.0 / 16, report.BitsPerPixel);
        Assert.Equal((Size, 4096, 1), (report.ImageSize, report.CodebookSize, report.CodebookCount));
        Assert.Equal(TokenManifestSha256(), report.CheckpointSha256);
    }

    [Fact]
    public void BatchesThatStraddleASkippedImageGiveTheSameMetrics()
    {
        var whole = Evaluate(new EvaluationOptions { Data = setup.Images, Modes = [ReconstructionMode.Vq] });
        var inPairs = Evaluate(new EvaluationOptions { Data = setup.Images, Modes = [ReconstructionMode.Vq], BatchSize = 2 });
        Assert.Equal(whole.Images, inPairs.Images);
        // Other batch shapes may make LibTorch pick other kernels, so the reconstructions may differ within the
        // network's float32 budget β (relative to the [−1, 1] range): PSNR = 20·log10(2/rms) moves by at most
        // (20/ln 10)·2β/rms, largest for the best image; SSIM, whose constant C₂ = (0.03·2)² bounds its
        // sensitivity, by at most 4·2β/(0.03·2). A token at a decision margin within β could flip: with margins
        // spread over the codebook's scale, that is a chance of order β per token, 1e-2 for these 320.
        var psnr = whole.Modes["vq"].Psnr;
        double budget = 2 * Float32ErrorBound.TwoEvaluations(TensorAssert.SummedTerms(setup.Model.Model));
        double bestRms = 2 * Math.Pow(10, -(psnr.Mean!.Value + 3 * psnr.Std!.Value) / 20);
        Assert.Equal(psnr.Mean!.Value, inPairs.Modes["vq"].Psnr.Mean!.Value, 20 / Math.Log(10) * budget / bestRms);
        Assert.Equal(whole.Modes["vq"].Ssim!.Std!.Value, inPairs.Modes["vq"].Ssim!.Std!.Value, 2 * 4 * budget / 0.06);
        Assert.Equal(whole.Modes["vq"].PerCodebook, inPairs.Modes["vq"].PerCodebook);
    }

    [Fact]
    public void ACorruptImageIsSkippedCountedAndNamed()
    {
        var progress = new List<EvaluationProgress>();
        var report = Evaluate(new EvaluationOptions { Data = setup.Images, BatchSize = 2 }, new ListProgress(progress));
        Assert.Equal(5, report.Images);
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(Path.Combine(setup.Images, "02.png"), skipped.File);
        Assert.Contains("02.png", skipped.Reason);
        Assert.All(report.Modes.Values, mode => Assert.Equal(5, mode.Psnr.Count));
        Assert.Equal(new EvaluationProgress(6, 6, 5, 1), progress[^1]);
        Assert.True(progress.Zip(progress.Skip(1)).All(pair => pair.First.FilesDone <= pair.Second.FilesDone));
    }

    [Fact]
    public void LimitTakesTheFirstFilesInPathOrder()
    {
        var report = Evaluate(new EvaluationOptions { Data = setup.Images, Limit = 3, Modes = [ReconstructionMode.Mean] });
        Assert.Equal(2, report.Images);
        Assert.Single(report.Skipped);

        using var scope = NewDisposeScope();
        var (originals, latent) = EncodeDirectly(setup.GoodFiles.Take(2).ToList());
        AssertSummary(Psnr.PerImage(originals, DecodeDirectly(latent.Mean)), report.Modes["mean"].Psnr);
        Assert.Equal(["mean"], report.Modes.Keys);
    }

    [Fact]
    public void MetricsWithoutWeightsOrTooSmallImagesAreListedWithTheirReasons()
    {
        var report = Evaluate(new EvaluationOptions { Data = setup.Images, Limit = 2 });
        Assert.Equal(["ms_ssim", "lpips", "rfid"], report.NotComputed.Select(metric => metric.Metric));
        Assert.Contains("at least 161 px per side; these are 32", report.NotComputed[0].Reason);
        Assert.Contains("alexnet-owt-7be5be79.pth", report.NotComputed[1].Reason);
        Assert.Contains("pt_inception-2015-12-05-6726825d.pth", report.NotComputed[2].Reason);
        Assert.All(report.Modes.Values, mode => Assert.True(mode is { MsSsim: null, Lpips: null, Rfid: null }));
        Assert.Null(report.LpipsNetwork);

        var vggReason = Evaluate(new EvaluationOptions { Data = setup.Images, Limit = 1, LpipsNetwork = LpipsNetwork.Vgg16 })
            .NotComputed.Single(metric => metric.Metric == "lpips").Reason;
        Assert.Contains("vgg16-397923af.pth", vggReason);
        Assert.Contains("loss.perceptual_loss", vggReason);
    }

    [Fact]
    public void TheJsonReportHasTheDocumentedStructure()
    {
        var report = Evaluate(new EvaluationOptions { Data = setup.Images, Limit = 3 });
        string path = Path.Combine(setup.Root, "report.json");
        report.Write(path);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("images").GetInt32());
        Assert.Equal(Path.Combine(setup.Images, "02.png"), root.GetProperty("skipped")[0].GetProperty("file").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("skipped")[0].GetProperty("reason").GetString()));
        Assert.Equal(setup.Model.ConfigPath, root.GetProperty("config").GetString());
        Assert.Equal(setup.Model.CheckpointPath, root.GetProperty("checkpoint").GetString());
        Assert.Equal(64, root.GetProperty("checkpoint_sha256").GetString()!.Length);
        Assert.Equal(32, root.GetProperty("image_size").GetInt32());
        Assert.Equal(0.75, root.GetProperty("bits_per_pixel").GetDouble());
        Assert.True(root.GetProperty("timings").GetProperty("total_seconds").GetDouble() > 0);

        var vq = root.GetProperty("modes").GetProperty("vq");
        Assert.Equal(report.Modes["vq"].Psnr.Mean, vq.GetProperty("psnr").GetProperty("mean").GetDouble());
        Assert.True(vq.GetProperty("ssim").TryGetProperty("std", out _));
        Assert.False(vq.TryGetProperty("ms_ssim", out _));
        Assert.False(vq.TryGetProperty("lpips", out _));
        Assert.False(vq.TryGetProperty("rfid", out _));
        Assert.Equal(4096, vq.GetProperty("per_codebook")[0].GetProperty("codebook_size").GetInt32());
        Assert.True(vq.GetProperty("codebook_usage").GetDouble() > 0);
        Assert.False(root.GetProperty("modes").GetProperty("mean").TryGetProperty("codebook_usage", out _));
        Assert.Equal("ms_ssim", root.GetProperty("not_computed")[0].GetProperty("metric").GetString());
        Assert.Contains("authors' evaluation", root.GetProperty("not_computed")[1].GetProperty("reason").GetString());
    }

    [Fact]
    public void LpipsAndRfidEqualDirectCallsOfTheNetworks()
    {
        var (backbone, heads, inceptionWeights) = setup.NetworkFiles;
        var report = Evaluate(new EvaluationOptions
        {
            Data = setup.Images, Limit = 2, Modes = [ReconstructionMode.Vq], LpipsWeights = backbone, LpipsHeads = heads, FidWeights = inceptionWeights,
        });
        Assert.DoesNotContain(report.NotComputed, metric => metric.Metric is "lpips" or "rfid");
        Assert.Equal("alexnet", report.LpipsNetwork);

        using var scope = NewDisposeScope();
        using var backboneWeights = CheckpointLoader.Load(backbone);
        using var headWeights = CheckpointLoader.Load(heads);
        using var inceptionFile = CheckpointLoader.Load(inceptionWeights);
        using var lpips = new Lpips(LpipsNetwork.AlexNet, backboneWeights.Tensors, headWeights.Tensors);
        using var inception = new FidInceptionV3(inceptionFile.Tensors);
        var (originals, latent) = EncodeDirectly(setup.GoodFiles.Take(2).ToList());
        var reconstructions = DecodeDirectly(latent.Quantized);
        AssertSummary(lpips.Distances(originals, reconstructions), report.Modes["vq"].Lpips!);

        double expected = TwoImageFrechetDistance(inception.Features(originals), inception.Features(reconstructions));
        Assert.Equal(expected, report.Modes["vq"].Rfid!.Value, 1e-6 * expected);

        var single = Evaluate(new EvaluationOptions { Data = setup.Images, Limit = 1, Modes = [ReconstructionMode.Vq], FidWeights = inceptionWeights });
        Assert.Null(single.Modes["vq"].Rfid);
        Assert.Contains("at least 2 images; 1 was evaluated", single.NotComputed.Single(metric => metric.Metric == "rfid").Reason);
    }

    [Fact]
    public void ReconstructionsAreSavedPerModeUnderTheInputNames()
    {
        string folder = Path.Combine(setup.Root, "reconstructions");
        Evaluate(new EvaluationOptions { Data = setup.Images, Limit = 2, SaveReconstructions = folder });
        foreach (string mode in new[] { "vq", "mean" })
        {
            Assert.Equal(["00.png", "01.png"], Directory.GetFiles(Path.Combine(folder, mode)).Select(Path.GetFileName).Order());
            var saved = ImageDecoder.Decode(Path.Combine(folder, mode, "01.png"));
            Assert.Equal((Size, Size), (saved.Width, saved.Height));
        }

        using var scope = NewDisposeScope();
        var (_, latent) = EncodeDirectly(setup.GoodFiles.Take(2).ToList());
        var expected = ImageTensors.ToImages(DecodeDirectly(latent.Quantized))[1];
        Assert.Equal(expected.Pixels, ImageDecoder.Decode(Path.Combine(folder, "vq", "01.png")).Pixels);
    }

    [Fact]
    public void NothingReadableIsAnError()
    {
        string folder = Path.Combine(setup.Root, "broken");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(setup.Images, "02.png"), Path.Combine(folder, "only.png"), overwrite: true);
        var error = Assert.Throws<InvalidDataException>(() => Evaluate(new EvaluationOptions { Data = folder }));
        Assert.Contains("none of the 1 images", error.Message);
        Assert.Contains("only.png", error.Message);
    }

    [Theory]
    [InlineData("size", "multiple of the model's downsampling factor 4")]
    [InlineData("batch", "batch size must be positive")]
    [InlineData("limit", "limit must be positive")]
    [InlineData("modes", "no reconstruction mode")]
    [InlineData("sample", "cannot be evaluated")]
    [InlineData("heads", "without the backbone weights")]
    public void MeaninglessOptionsAreUsageErrors(string problem, string message)
    {
        var options = new EvaluationOptions { Data = setup.Images };
        options = problem switch
        {
            "size" => options with { ImageSize = 30 },
            "batch" => options with { BatchSize = 0 },
            "limit" => options with { Limit = 0 },
            "modes" => options with { Modes = [] },
            "sample" => options with { Modes = [ReconstructionMode.Sample] },
            _ => options with { LpipsHeads = "alex.pth" },
        };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Evaluate(options)).Message);
    }

    private EvaluationReport Evaluate(EvaluationOptions options, IProgress<EvaluationProgress>? progress = null) =>
        EvaluationPipeline.Run(setup.Model, options with { Workers = 1 }, progress);

    /// <summary>The images as the authors' eval transform makes them, and their latent, in the current dispose scope.</summary>
    private (Tensor Originals, QuantizedLatent Latent) EncodeDirectly(IReadOnlyList<string> files)
    {
        var preprocessing = ImagePreprocessing.ResizeCenterCrop(Size);
        var originals = ImageTensors.ToBatch(files.Select(file => preprocessing.Apply(ImageDecoder.Decode(file), file)).ToList());
        return (originals, setup.Model.Model.Quantize(originals));
    }

    private Tensor DecodeDirectly(Tensor latent)
    {
        using var noGrad = no_grad();
        return setup.Model.Model.Decode(latent);
    }

    private string TokenManifestSha256() => TokenManifest.Sha256Of(setup.Model.CheckpointPath);

    /// <summary>
    /// The Fréchet distance of two sets of two feature vectors in closed form: each covariance (N − 1 = 1) is the rank-one
    /// u·uᵀ with u = (a − b)/√2, so tr((Σ1Σ2)^½) = |u₁ · u₂|. An independent check of the eigenvalue route of the pipeline.
    /// </summary>
    private static double TwoImageFrechetDistance(Tensor first, Tensor second)
    {
        using var scope = NewDisposeScope();
        var (x, y) = (first.to_type(ScalarType.Float64), second.to_type(ScalarType.Float64));
        var meanDifference = x.mean([0]) - y.mean([0]);
        var u = (x[0] - x[1]) / Math.Sqrt(2);
        var v = (y[0] - y[1]) / Math.Sqrt(2);
        return (meanDifference.dot(meanDifference) + u.dot(u) + v.dot(v) - 2 * u.dot(v).abs()).item<double>();
    }

    private static void AssertSummary(double[] perImage, MetricStatistics statistics)
    {
        double mean = perImage.Average();
        double std = Math.Sqrt(perImage.Sum(value => (value - mean) * (value - mean)) / (perImage.Length - 1));
        Assert.Equal(perImage.Length, statistics.Count);
        Assert.Equal(mean, statistics.Mean!.Value, Tolerance);
        Assert.Equal(std, statistics.Std!.Value, Tolerance);
        Assert.Null(statistics.Infinite);
    }

    private sealed class ListProgress(List<EvaluationProgress> reports) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => reports.Add(value);
    }
}
