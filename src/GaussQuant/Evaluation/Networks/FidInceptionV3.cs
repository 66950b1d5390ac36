using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// The Inception-v3 feature extractor of FID as pytorch-fid runs it (<c>InceptionV3([3], normalize_input=False)</c>):
/// the TF 2015 graph ported to torchvision's Inception3 layout with the FIDInceptionA/C/E_1/E_2 pooling patches.
/// Images in [-1, 1] (any size) are resized bilinearly to 299×299 (align_corners false, no antialiasing) and
/// mapped to the 2048-d pool3 features. Weights: <c>pt_inception-2015-12-05-6726825d.pth</c>, torchvision names
/// (<c>Conv2d_1a_3x3.conv.weight</c>, <c>Mixed_5b.branch1x1.bn.running_mean</c>, …); its <c>fc.*</c> is not used.
/// </summary>
public sealed class FidInceptionV3 : nn.Module<Tensor, Tensor>
{
    public const int FeatureDimension = 2048;
    private const int InputSide = 299;

    private readonly nn.Module<Tensor, Tensor>[] stem;
    private readonly nn.Module<Tensor, Tensor>[] mixed;

    /// <param name="weights">State dict with torchvision Inception3 names; other keys (fc.*, num_batches_tracked) are ignored.</param>
    /// <param name="device">Where the network runs (cpu by default).</param>
    public FidInceptionV3(IReadOnlyDictionary<string, Tensor> weights, Device? device = null) : this()
    {
        WeightLoading.Load(this, weights, "FID Inception weights", name => new([name]),
            "Expected pytorch-fid's pt_inception-2015-12-05-6726825d.pth (torchvision Inception3 names such as Conv2d_1a_3x3.conv.weight).");
        foreach (var parameter in parameters())
            parameter.requires_grad = false;
        this.to(device ?? CPU);
        eval();
    }

    /// <summary>Builds the layers only; the public constructor fills them with weights.</summary>
    private FidInceptionV3() : base("FIDInceptionV3")
    {
        stem =
        [
            Register("Conv2d_1a_3x3", new InceptionConvolution(3, 32, (3, 3), stride: 2)),
            Register("Conv2d_2a_3x3", new InceptionConvolution(32, 32, (3, 3))),
            Register("Conv2d_2b_3x3", new InceptionConvolution(32, 64, (3, 3), padding: (1, 1))),
            nn.MaxPool2d(3, stride: 2),
            Register("Conv2d_3b_1x1", new InceptionConvolution(64, 80, (1, 1))),
            Register("Conv2d_4a_3x3", new InceptionConvolution(80, 192, (3, 3))),
            nn.MaxPool2d(3, stride: 2),
        ];
        mixed =
        [
            Register("Mixed_5b", new InceptionBlockA(192, poolChannels: 32)),
            Register("Mixed_5c", new InceptionBlockA(256, poolChannels: 64)),
            Register("Mixed_5d", new InceptionBlockA(288, poolChannels: 64)),
            Register("Mixed_6a", new InceptionBlockB(288)),
            Register("Mixed_6b", new InceptionBlockC(768, channels7x7: 128)),
            Register("Mixed_6c", new InceptionBlockC(768, channels7x7: 160)),
            Register("Mixed_6d", new InceptionBlockC(768, channels7x7: 160)),
            Register("Mixed_6e", new InceptionBlockC(768, channels7x7: 192)),
            Register("Mixed_7a", new InceptionBlockD(768)),
            Register("Mixed_7b", new InceptionBlockE(1280, maxPoolBranch: false)),
            Register("Mixed_7c", new InceptionBlockE(2048, maxPoolBranch: true)),
        ];
    }

    /// <summary>Names and shapes of the tensors the weights must supply (parameters and batch-norm running statistics).</summary>
    public static IReadOnlyDictionary<string, long[]> RequiredWeights()
    {
        using var structure = new FidInceptionV3();
        return WeightLoading.Targets(structure).ToDictionary(entry => entry.Name, entry => entry.Tensor.shape);
    }

    /// <summary>Pool3 features (B, 2048) of float32 images (B, 3, H, W) in [-1, 1] on the network's device.</summary>
    public override Tensor forward(Tensor images)
    {
        var hidden = interpolate(images, [InputSide, InputSide], mode: InterpolationMode.Bilinear, align_corners: false);
        foreach (var layer in stem.Concat(mixed))
        {
            // Each activation is freed as soon as the next exists, so a batch never holds the whole network's maps.
            var next = layer.call(hidden);
            hidden.Dispose();
            hidden = next;
        }
        using (hidden)
        using (var pooled = adaptive_avg_pool2d(hidden, [1, 1]))
            return pooled.flatten(1);
    }

    /// <summary>
    /// Features for evaluation (no gradients): (B, 3, H, W) images in [-1, 1], any device and float type →
    /// float32 (B, 2048) on the network's device, owned by the caller.
    /// </summary>
    public Tensor Features(Tensor images)
    {
        ImageBatchChecks.RequireImageBatch(images, nameof(images), channels: 3);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var device = parameters().First().device;
        return forward(images.to(ScalarType.Float32, device)).MoveToOuterDisposeScope();
    }

    private T Register<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        return module;
    }
}
