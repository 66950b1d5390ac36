using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// Inception's basic unit (torchvision's BasicConv2d): convolution without bias, batch norm (eps 0.001), ReLU.
/// Tensors <c>conv.weight</c> and <c>bn.{weight, bias, running_mean, running_var}</c>. Batch norm always uses
/// the running statistics: the FID network is a fixed feature extractor, whatever mode it is switched to.
/// </summary>
internal sealed class InceptionConvolution : nn.Module<Tensor, Tensor>
{
    private const double BatchNormEpsilon = 0.001;

    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public InceptionConvolution(long inputChannels, long outputChannels, (long Height, long Width) kernel,
        long stride = 1, (long Height, long Width) padding = default) : base("BasicConv2d")
    {
        conv = nn.Conv2d(inputChannels, outputChannels, kernel, stride: (stride, stride), padding: padding, bias: false);
        bn = nn.BatchNorm2d(outputChannels, eps: BatchNormEpsilon);
        register_module("conv", conv);
        register_module("bn", bn);
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved = conv.call(input);
        using var normalised = batch_norm(convolved, bn.running_mean, bn.running_var, bn.weight, bn.bias, training: false, eps: BatchNormEpsilon);
        return normalised.relu();
    }
}
