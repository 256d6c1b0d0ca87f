/* placeholder: being written */
#include "config.h"
#include "singly-template.h"
