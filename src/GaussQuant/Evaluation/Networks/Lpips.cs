using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// LPIPS v0.1 perceptual distance between images in [-1, 1]: scaling layer, AlexNet or VGG16 backbone, each of
/// the five feature maps unit-normalised over channels (eps 1e-10), squared difference, a 1×1 "lin" head,
/// spatial mean, sum over layers. With AlexNet it is the authors' evaluation metric, with VGG16 their training
/// loss. All parameters are frozen, but gradients flow to the inputs, so <see cref="forward"/> serves as a loss;
/// training and evaluation mode compute the same (no dropout, no batch norm).
/// Module and tensor names are the reference's (<c>scaling_layer</c>, <c>net.slice{k}.{i}</c>, <c>lin{k}.model.1</c>).
/// </summary>
public sealed partial class Lpips : nn.Module<Tensor, Tensor, Tensor>
{
    private const double NormalisationEpsilon = 1e-10;
    private const string CheckpointPrefix = "loss.perceptual_loss.";

    private readonly LpipsScalingLayer scalingLayer;
    private readonly LpipsBackbone backbone;
    private readonly LpipsHead[] heads;

    /// <param name="network">AlexNet or VGG16.</param>
    /// <param name="backboneWeights">
    /// torchvision weights (<c>alexnet-owt-7be5be79.pth</c> / <c>vgg16-397923af.pth</c>: <c>features.{i}.weight</c>),
    /// an LPIPS state dict (<c>net.slice{k}.{i}.weight</c>), or a training checkpoint
    /// (<c>loss.perceptual_loss.net.slice{k}.{i}.weight</c>); other keys are ignored.
    /// </param>
    /// <param name="headWeights">
    /// The lin heads: the lpips package's <c>alex.pth</c> / <c>vgg.pth</c> (<c>lin{k}.model.1.weight</c>) or a
    /// training checkpoint (<c>loss.perceptual_loss.lin{k}.model.1.weight</c>). For a checkpoint, pass it as both arguments.
    /// </param>
    /// <param name="device">Where the network runs (cpu by default).</param>
    public Lpips(LpipsNetwork network, IReadOnlyDictionary<string, Tensor> backboneWeights,
        IReadOnlyDictionary<string, Tensor> headWeights, Device? device = null) : this(network)
    {
        string name = network == LpipsNetwork.AlexNet ? "alex" : "vgg";
        WeightLoading.Load(this, backboneWeights, $"LPIPS ({name}) backbone weights", BackboneSource,
            $"Expected torchvision {(network == LpipsNetwork.AlexNet ? "alexnet-owt-7be5be79.pth" : "vgg16-397923af.pth")} keys " +
            "(features.{i}.weight/bias), LPIPS keys (net.slice{k}.{i}.weight/bias) or a training checkpoint (loss.perceptual_loss.net.*).");
        WeightLoading.Load(this, headWeights, $"LPIPS ({name}) head weights", HeadSource,
            $"Expected the lpips package's {name}.pth keys (lin{{k}}.model.1.weight) or a training checkpoint (loss.perceptual_loss.lin*).");
        foreach (var parameter in parameters())
            parameter.requires_grad = false;
        this.to(device ?? CPU);
        eval();
    }

    /// <summary>Builds the layers only; the public constructor fills them with weights.</summary>
    private Lpips(LpipsNetwork network) : base("LPIPS")
    {
        Network = network;
        scalingLayer = new LpipsScalingLayer();
        backbone = LpipsBackbone.Create(network);
        heads = backbone.Channels.Select(channels => new LpipsHead(channels)).ToArray();
        register_module("scaling_layer", scalingLayer);
        register_module("net", backbone);
        for (int layer = 0; layer < heads.Length; layer++)
            register_module($"lin{layer}", heads[layer]);
    }

    public LpipsNetwork Network { get; }

    /// <summary>The smallest image side the backbone accepts (every layer keeps at least one pixel).</summary>
    public int MinimumSide => backbone.MinimumSide;

    /// <summary>
    /// Names (LPIPS layout: <c>net.slice{k}.{i}.*</c>, <c>lin{k}.model.1.weight</c>) and shapes of the tensors the
    /// weights must supply; the scaling layer's constants are optional and not listed.
    /// </summary>
    public static IReadOnlyDictionary<string, long[]> RequiredWeights(LpipsNetwork network)
    {
        using var structure = new Lpips(network);
        return structure.named_parameters().ToDictionary(entry => entry.name, entry => entry.parameter.shape);
    }

    /// <summary>
    /// Distances (B, 1, 1, 1) between two float32 image batches (B, 3, H, W) in [-1, 1] on the network's device,
    /// shaped like the reference so that it broadcasts over pixels in the training loss; differentiable.
    /// </summary>
    public override Tensor forward(Tensor first, Tensor second)
    {
        if (first.dim() != 4 || first.shape[2] < backbone.MinimumSide || first.shape[3] < backbone.MinimumSide)
            throw new ArgumentException(
                $"LPIPS ({Network}) needs (B, 3, H, W) images of at least {backbone.MinimumSide}×{backbone.MinimumSide} pixels; " +
                $"got shape [{string.Join(", ", first.shape)}]", nameof(first));
        using var scope = NewDisposeScope();
        var features1 = backbone.call(scalingLayer.call(first));
        var features2 = backbone.call(scalingLayer.call(second));
        Tensor? total = null;
        for (int layer = 0; layer < heads.Length; layer++)
        {
            var difference = (UnitNormalised(features1[layer]) - UnitNormalised(features2[layer])).square();
            var distance = heads[layer].call(difference).mean([2, 3], keepdim: true);
            total = total is null ? distance : total + distance;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>Per-image distances for evaluation (no gradients): (B, 3, H, W) batches in [-1, 1], any device and float type.</summary>
    public double[] Distances(Tensor original, Tensor reconstruction)
    {
        ImageBatchChecks.RequirePair(original, reconstruction, channels: 3);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = heads[0].parameters().First().device;
        var distances = forward(original.to(ScalarType.Float32, device), reconstruction.to(ScalarType.Float32, device));
        return distances.flatten().to(ScalarType.Float64, CPU).data<double>().ToArray();
    }

    private static Tensor UnitNormalised(Tensor features) =>
        features / (features.square().sum(1, keepdim: true).sqrt() + NormalisationEpsilon);

    private static WeightLoading.Source? BackboneSource(string name)
    {
        if (name.StartsWith("scaling_layer.", StringComparison.Ordinal))
            return new([name, CheckpointPrefix + name], Optional: true);
        var match = BackboneTensorName().Match(name);
        if (!match.Success)
            return null;
        string torchvisionName = $"features.{match.Groups["index"].Value}.{match.Groups["tensor"].Value}";
        return new([name, torchvisionName, CheckpointPrefix + name]);
    }

    private static WeightLoading.Source? HeadSource(string name)
    {
        var match = HeadTensorName().Match(name);
        // The lpips package also lists each head under a ModuleList, lins.{k}.
        return match.Success ? new([name, $"lins.{match.Groups["layer"].Value}.{match.Groups["tensor"].Value}", CheckpointPrefix + name]) : null;
    }

    [GeneratedRegex(@"^net\.slice\d\.(?<index>\d+)\.(?<tensor>weight|bias)$")]
    private static partial Regex BackboneTensorName();

    [GeneratedRegex(@"^lin(?<layer>\d)\.(?<tensor>model\.1\.weight)$")]
    private static partial Regex HeadTensorName();
}
